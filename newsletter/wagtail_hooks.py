import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods, require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import HeaderButton
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from .models import Delivery, NewsletterIssue, Subscriber
from .selectors import issue_news_clicks_visible_to, user_sees_click_counts
from .services.delivery import issue_test_send
from .services.issues import issue_build


class IssueActionsColumn(Column):
    """ "Send me a test" on every issue; approving is Wagtail's publishing, in the editor."""

    cell_template_name = "newsletter/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["test_url"] = reverse("newsletter_issue_test", args=[instance.pk])
        context["csrf_token"] = get_token(parent_context["request"])
        return context


class DeliveryProgressColumn(Column):
    """How far sending has got, from the delivery ledger (annotated on the listing)."""

    def get_value(self, instance):
        if not instance.ledger_total:
            return ""
        remaining = instance.ledger_total - instance.ledger_sent - instance.ledger_failed
        return f"{instance.ledger_sent} sent, {remaining} to go, {instance.ledger_failed} failed"


class IssueIndexView(IndexView):
    @property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.request.user.has_perm("newsletter.add_newsletterissue"):
            buttons.append(
                HeaderButton("Build this week's issue", url=reverse("newsletter_issue_build"), icon_name="mail")
            )
        return buttons


class NewsletterIssueViewSet(SnippetViewSet):
    """Staff build the week's draft, edit it (intro, items, order) with a live preview of
    the email, send themselves a test, submit it for review; publishing approves it."""

    model = NewsletterIssue
    icon = "mail"
    menu_label = "Issues"
    index_view_class = IssueIndexView
    list_display = [
        "subject",
        "status",
        "send_at",
        DeliveryProgressColumn("delivery", label="Delivery"),
        "sent_at",
        IssueActionsColumn("actions", label=""),
    ]
    list_filter = ["status"]

    def get_queryset(self, request):
        states = Delivery.State
        return NewsletterIssue.objects.annotate(
            ledger_total=Count("deliveries"),
            ledger_sent=Count("deliveries", filter=Q(deliveries__state=states.SENT)),
            ledger_failed=Count("deliveries", filter=Q(deliveries__state=states.FAILED)),
        )


class SubscriberViewSet(SnippetViewSet):
    model = Subscriber
    icon = "user"
    menu_label = "Subscribers"
    list_display = ["email", "name", "status", "consent_at", "consent_source"]
    list_filter = ["status"]
    search_fields = ["email", "name"]


class NewsletterGroup(SnippetViewSetGroup):
    items = (NewsletterIssueViewSet, SubscriberViewSet)
    menu_icon = "mail"
    menu_label = "Newsletter"
    menu_name = "newsletter"


register_snippet(NewsletterGroup)

ISSUES_URL = "wagtailsnippets_newsletter_newsletterissue:list"
CLICKS_TITLE = "Digest clicks"

ISSUE_EDIT_URL = "wagtailsnippets_newsletter_newsletterissue:edit"


@require_http_methods(["GET", "POST"])
@permission_required("newsletter.add_newsletterissue", raise_exception=True)
def issue_build_view(request):
    """What `build_newsletter` does, from the admin: GET asks, POST builds the draft."""
    if request.method == "GET":
        return TemplateResponse(request, "newsletter/admin/build_issue.html", {"issues_url": reverse(ISSUES_URL)})
    issue = issue_build(user=request.user)
    if issue is None:
        messages.warning(request, "A quiet week: nothing was published since the last issue, so no issue was built.")
        return redirect(reverse(ISSUES_URL))
    messages.success(request, f"“{issue}” is built with {issue.items.count()} items: edit, preview and submit it.")
    return redirect(reverse(ISSUE_EDIT_URL, args=[issue.pk]))


@require_POST
@permission_required("newsletter.change_newsletterissue", raise_exception=True)
def issue_test(request, pk):
    """A test copy of the issue as it stands in the editor (its latest revision)."""
    issue = get_object_or_404(NewsletterIssue, pk=pk).get_latest_revision_as_object()
    if not request.user.email:
        messages.error(request, "Your account has no email address: add one in your account settings first.")
    else:
        try:
            issue_test_send(issue=issue, email=request.user.email, name=request.user.first_name)
        except (smtplib.SMTPException, OSError) as error:
            messages.error(request, f"The mail server refused the test copy: {error}")
        else:
            log(issue, "newsletter.test_send", user=request.user, data={"to": request.user.email})
            messages.success(request, f"A test copy of “{issue}” went to {request.user.email}.")
    return redirect(reverse(ISSUES_URL))


def issue_clicks_view(request):
    """Per sent issue, how many times each link to member news was followed (counts only)."""
    if not user_sees_click_counts(user=request.user):
        raise PermissionDenied
    report = issue_news_clicks_visible_to(user=request.user)
    return TemplateResponse(request, "newsletter/admin/clicks.html", {"report": report, "header_title": CLICKS_TITLE})


class ClicksMenuItem(MenuItem):
    def is_shown(self, request):
        return user_sees_click_counts(user=request.user)


@hooks.register("register_admin_menu_item")
def register_clicks_menu_item():
    return ClicksMenuItem(CLICKS_TITLE, reverse("newsletter_issue_clicks"), icon_name="link", order=260)


@hooks.register("register_admin_urls")
def register_issue_action_urls():
    return [
        path("newsletter/issues/build/", issue_build_view, name="newsletter_issue_build"),
        path("newsletter/issues/<int:pk>/test/", issue_test, name="newsletter_issue_test"),
        path("newsletter/clicks/", issue_clicks_view, name="newsletter_issue_clicks"),
    ]


@hooks.register("register_log_actions")
def register_issue_log_actions(actions):
    actions.register_action("newsletter.test_send", "Send a test", "Test copy sent")
    actions.register_action("newsletter.deliver", "Deliver", "Delivered to subscribers")
