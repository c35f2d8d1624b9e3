import smtplib

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import NewsletterIssue, Subscriber
from .selectors import issue_news_clicks_visible_to, user_sees_click_counts
from .services.delivery import issue_test_send
from .services.issues import issue_approve


class IssueActionsColumn(Column):
    """ "Send me a test" on every issue, "Approve" on drafts."""

    cell_template_name = "newsletter/admin/actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["test_url"] = reverse("newsletter_issue_test", args=[instance.pk])
        if instance.status == NewsletterIssue.Status.DRAFT:
            context["approve_url"] = reverse("newsletter_issue_approve", args=[instance.pk])
        context["csrf_token"] = get_token(parent_context["request"])
        return context


class NewsletterIssueViewSet(SnippetViewSet):
    """Staff edit the week's draft (intro, items, order) with a live preview of the email,
    send themselves a test, then approve it for its time."""

    model = NewsletterIssue
    icon = "mail"
    menu_label = "Issues"
    list_display = ["subject", "status", "send_at", "sent_at", IssueActionsColumn("actions", label="")]
    list_filter = ["status"]


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


@require_POST
@permission_required("newsletter.change_newsletterissue", raise_exception=True)
def issue_test(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk)
    if not request.user.email:
        messages.error(request, "Your account has no email address: add one in your account settings first.")
    else:
        try:
            issue_test_send(issue=issue, email=request.user.email, name=request.user.first_name)
        except (smtplib.SMTPException, OSError) as error:
            messages.error(request, f"The mail server refused the test copy: {error}")
        else:
            messages.success(request, f"A test copy of “{issue}” went to {request.user.email}.")
    return redirect(reverse(ISSUES_URL))


@require_POST
@permission_required("newsletter.change_newsletterissue", raise_exception=True)
def issue_approve_view(request, pk):
    issue = get_object_or_404(NewsletterIssue, pk=pk, status=NewsletterIssue.Status.DRAFT)
    send_at = issue.send_at if issue.send_at and issue.send_at > timezone.now() else None
    issue_approve(issue=issue, send_at=send_at)
    messages.success(
        request, f"“{issue}” is approved; it goes out {timezone.localtime(issue.send_at):%-d %B %Y, %H:%M}."
    )
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
        path("newsletter/issues/<int:pk>/test/", issue_test, name="newsletter_issue_test"),
        path("newsletter/issues/<int:pk>/approve/", issue_approve_view, name="newsletter_issue_approve"),
        path("newsletter/clicks/", issue_clicks_view, name="newsletter_issue_clicks"),
    ]
