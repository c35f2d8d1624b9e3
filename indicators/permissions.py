"""Who may enter report-card figures: anyone who may edit the partnership's page (its own
editors' group, staff with edit rights on the directory), plus holders of the model's
Django permissions. So a partnership's editors manage their figures and nobody else's."""

from wagtail.permission_policies import ModelPermissionPolicy

from network.selectors import partnership_editable_by

FIGURE_ACTIONS = {"add", "change", "delete", "view"}


class IndicatorValuePermissionPolicy(ModelPermissionPolicy):
    def _has_model_permission(self, user, actions):
        """The Django model permission alone (the parent's rule), which grants every figure."""
        return any(super(IndicatorValuePermissionPolicy, self).user_has_permission(user, action) for action in actions)

    def user_has_permission(self, user, action):
        if self._has_model_permission(user, [action]):
            return True
        return action in FIGURE_ACTIONS and user.is_active and partnership_editable_by(user=user).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        if self._has_model_permission(user, [action]):
            return True
        return (
            action in FIGURE_ACTIONS and partnership_editable_by(user=user).filter(pk=instance.partnership_id).exists()
        )

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def instances_user_has_any_permission_for(self, user, actions):
        everything = self.model._default_manager.all()
        if self._has_model_permission(user, actions):
            return everything
        if not FIGURE_ACTIONS.intersection(actions):
            return everything.none()
        return everything.filter(partnership__in=partnership_editable_by(user=user))
