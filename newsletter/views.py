import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .forms import PreferencesForm, SignupForm
from .models import Subscriber
from .rendering import DEFAULT_ORDER, IssueRenderer
from .selectors import issue_sent
from .services.subscribers import (
    signup_client_allowed,
    subscriber_confirm,
    subscriber_erase,
    subscriber_export,
    subscriber_preferences_update,
    subscriber_signup,
    subscriber_unsubscribe,
)
from .tokens import token_subscriber


def _private(response):
    """Pages reached by a personal link are never cached by proxies or indexed."""
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_http_methods(["GET", "POST"])
def signup(request):
    """The same answer whether the address is new, pending or already subscribed."""
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if not signup_client_allowed(client=request.META.get("REMOTE_ADDR", "")):
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


def confirm(request, token):
    subscriber = token_subscriber(token, purpose="confirm")
    if subscriber is None or subscriber.status not in (Subscriber.Status.PENDING, Subscriber.Status.ACTIVE):
        return _private(render(request, "newsletter/link_invalid.html", status=400))
    subscriber_confirm(subscriber=subscriber)
    return _private(render(request, "newsletter/confirmed.html", {"subscriber": subscriber}))


@require_http_methods(["GET", "POST"])
def preferences(request, token):
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _private(render(request, "newsletter/link_invalid.html", status=400))
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
    return _private(
        render(
            request,
            "newsletter/preferences.html",
            {"form": form, "subscriber": subscriber, "token": token, "saved": saved},
        )
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """POST (the email client's one-click, RFC 8058, or the button) unsubscribes at once;
    GET only asks, so a link scanner following the link unsubscribes nobody."""
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _private(render(request, "newsletter/link_invalid.html", status=400))
    if request.method == "POST":
        subscriber_unsubscribe(subscriber=subscriber)
        return _private(render(request, "newsletter/unsubscribed.html", {"subscriber": subscriber, "token": token}))
    return _private(render(request, "newsletter/unsubscribe.html", {"subscriber": subscriber, "token": token}))


def my_data(request, token):
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _private(render(request, "newsletter/link_invalid.html", status=400))
    response = HttpResponse(
        json.dumps(subscriber_export(subscriber=subscriber), indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-newsletter-data.json"'
    return _private(response)


@require_http_methods(["POST"])
def erase(request, token):
    subscriber = token_subscriber(token, purpose="preferences")
    if subscriber is None:
        return _private(render(request, "newsletter/link_invalid.html", status=400))
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
