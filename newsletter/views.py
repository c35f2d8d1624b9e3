import json

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from website.client_address import client_address

from .forms import ConfirmForm, PreferencesForm, SignupForm, interests_described
from .models import IssueItem, Subscriber
from .rendering import DEFAULT_ORDER, IssueRenderer
from .selectors import issue_sent, subscription_request_open
from .services.clicks import issue_link_click_record
from .services.subscribers import (
    signup_client_allowed,
    subscriber_confirm,
    subscriber_data_link_send,
    subscriber_erase,
    subscriber_export,
    subscriber_preferences_update,
    subscriber_signup,
    subscriber_unsubscribe,
)
from .tokens import DATA_LINK_MAX_AGE, token_make, token_read, token_subscriber


def _private(response):
    """Pages reached by a personal link are never cached by proxies or indexed, and their
    address (the token) never leaves the site as a referrer. `same-origin`, not
    `no-referrer`: with that, browsers send `Origin: null` on the pages' own forms and
    CSRF checking refuses them."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
def signup(request):
    """The same answer whether the address is new, pending or already subscribed."""
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not signup_client_allowed(client=client_address(request)):
            return render(request, "newsletter/signup.html", {"form": form, "too_many": True}, status=429)
        if form.is_valid():
            if not form.is_bot():
                data = form.cleaned_data
                subscriber_signup(
                    email=data["email"],
                    name=data["name"],
                    series=data["series"],
                    outcomes=data["outcomes"],
                    regions=data["regions"],
                    source=f"sign-up form on {request.POST.get('from', '/')[:150]}",
                )
            return redirect("newsletter:check_email")
    return render(request, "newsletter/signup.html", {"form": form})


def check_email(request):
    return render(request, "newsletter/check_email.html")


def _link_invalid(request):
    return _private(render(request, "newsletter/link_invalid.html", status=400))


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows what would be confirmed and a button; only the button's POST gives
    consent, so a mail scanner or prefetcher following the link consents nobody."""
    subscriber, request_id = token_read(token, purpose="confirm")
    if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE:
        return _private(render(request, "newsletter/confirmed.html", {"subscriber": subscriber}))
    asked = subscription_request_open(subscriber=subscriber, request_id=request_id)
    if asked is None:
        return _link_invalid(request)
    form = ConfirmForm(request.POST if request.method == "POST" else None, initial={"name": asked.name})
    if request.method == "POST" and form.is_valid():
        subscriber = subscriber_confirm(request=asked, name=form.cleaned_data["name"])
        return _private(render(request, "newsletter/confirmed.html", {"subscriber": subscriber}))
    context = {
        "form": form,
        "subscriber": subscriber,
        "token": token,
        "interests": interests_described(asked.interests),
    }
    return _private(render(request, "newsletter/confirm.html", context))


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _link_invalid(request)
    initial = {
        "name": subscriber.name,
        "series": subscriber.series.all(),
        "outcomes": subscriber.outcomes.all(),
        "regions": subscriber.regions,
        "paused_until": subscriber.paused_until,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    saved = False
    if request.method == "POST" and form.is_valid():
        subscriber_preferences_update(subscriber=subscriber, **form.cleaned_data)
        saved = True
    context = {
        "form": form,
        "subscriber": subscriber,
        "token": token,
        "unsubscribe_token": token_make(subscriber, purpose="unsubscribe"),
        "saved": saved,
    }
    return _private(render(request, "newsletter/preferences.html", context))


@require_http_methods(["POST"])
def data_link(request, token):
    """The preference centre asks for a data link; it goes to the subscriber's address."""
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _link_invalid(request)
    sent = subscriber_data_link_send(subscriber=subscriber)
    return _private(render(request, "newsletter/data_link_sent.html", {"sent": sent, "token": token}))


def data_link_needed(request, token):
    """Where the preference centre's download and erase used to be: a clear page, not a 404,
    for a tab left open from before they moved behind an emailed link."""
    if token_subscriber(token, purpose="preferences") is None:
        return _link_invalid(request)
    return _private(render(request, "newsletter/data_link_needed.html", {"token": token}, status=410))


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """POST (the email client's one-click, RFC 8058, or the button) unsubscribes at once;
    GET only asks, so a link scanner following the link unsubscribes nobody. Preference
    tokens work too: the preference centre's button, and older emails' links."""
    subscriber = token_subscriber(token, purpose="unsubscribe") or token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _link_invalid(request)
    if request.method == "POST":
        one_click = request.POST.get("List-Unsubscribe") == "One-Click"
        source = "unsubscribe link: one-click from the mail client" if one_click else "unsubscribe link: button"
        subscriber_unsubscribe(subscriber=subscriber, source=source)
        return _private(render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber}))
    return _private(render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "token": token}))


def my_data(request, token):
    """The emailed data link's page: download or erase, for DATA_LINK_MAX_AGE."""
    subscriber = token_subscriber(token, purpose="data")
    if subscriber is None:
        return _link_invalid(request)
    context = {"subscriber": subscriber, "token": token, "minutes": DATA_LINK_MAX_AGE // 60}
    return _private(render(request, "newsletter/my_data.html", context))


def my_data_download(request, token):
    subscriber = token_subscriber(token, purpose="data")
    if subscriber is None:
        return _link_invalid(request)
    response = HttpResponse(
        json.dumps(subscriber_export(subscriber=subscriber), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-newsletter-data.json"'
    return _private(response)


@require_http_methods(["POST"])
def erase(request, token):
    subscriber = token_subscriber(token, purpose="data")
    if subscriber is None:
        return _link_invalid(request)
    subscriber_erase(subscriber=subscriber)
    return _private(render(request, "newsletter/erased.html"))


def archive(request):
    issues = issue_sent()
    return render(
        request,
        "newsletter/archive.html",
        {"issues": issues, "feed_links": [("Weekly digest archive", reverse("newsletter:archive"))]},
    )


def archive_issue(request, pk):
    """An issue's content as a page of the site, for anyone (nothing personal in it); the
    email keeps its own table markup, which is no web page."""
    issue = get_object_or_404(issue_sent(), pk=pk)
    return render(
        request,
        "newsletter/archive_issue.html",
        {"issue": issue, "sections": IssueRenderer(issue).sections(DEFAULT_ORDER)},
    )


@require_http_methods(["GET", "HEAD"])
def follow_link(request, issue_id, item_id):
    """A digest's link to member news: count the follow, then send the reader on.

    It redirects only to the address stored on that item of that issue, so it cannot be
    used to send anyone elsewhere (no open redirect). HEAD (link checkers, previews) is
    answered without counting."""
    item = get_object_or_404(
        IssueItem.objects.select_related("issue"), pk=item_id, issue_id=issue_id, section=IssueItem.Section.NEWS
    )
    if request.method == "GET":
        issue_link_click_record(item=item)
    response = HttpResponseRedirect(item.url)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
