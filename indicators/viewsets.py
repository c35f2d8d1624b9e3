"""The admin's report-card figures: a listing and forms limited to the partnerships the
user may edit (see permissions.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from network.selectors import partnership_editable_by

from .models import IndicatorValue


class IndicatorValueForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and not self.for_user.has_perm("indicators.change_indicatorvalue"):
            self.fields["partnership"].queryset = partnership_editable_by(user=self.for_user).order_by("title")


class UserFiguresMixin:
    """Lists and loads only the figures the user may change; others are not found."""

    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "change")


class IndicatorValueIndexView(UserFiguresMixin, generic.IndexView):
    pass


class IndicatorValueEditView(generic.EditView):
    def get_object(self, queryset=None):
        figure = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "change", figure):
            raise PermissionDenied
        return figure


class IndicatorValueDeleteView(generic.DeleteView):
    def get_object(self, queryset=None):
        figure = super().get_object(queryset)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "delete", figure):
            raise PermissionDenied
        return figure


class IndicatorValueViewSet(ModelViewSet):
    model = IndicatorValue
    edit_handler = ObjectList(
        [
            # A plain list, so a partnership's editors choose among their own partnerships only.
            FieldPanel("partnership", widget=forms.Select),
            FieldPanel("indicator"),
            FieldRowPanel([FieldPanel("year"), FieldPanel("group")]),
            FieldRowPanel([FieldPanel("value"), FieldPanel("suppressed")]),
            FieldPanel("source"),
        ],
        base_form_class=IndicatorValueForm,
    )
    index_view_class = IndicatorValueIndexView
    edit_view_class = IndicatorValueEditView
    delete_view_class = IndicatorValueDeleteView
    menu_label = "Report cards"
    icon = "table"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["partnership", "indicator", "year", "group", "value", "suppressed"]
    list_filter = ["indicator", "year", "group", "suppressed"]
    search_fields = None
    copy_view_enabled = True
    inspect_view_enabled = False
