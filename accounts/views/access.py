"""Pages of getting in: an invitation's link, sign-up by company domain, and the staff
buttons that invite, resend, revoke and approve on an account's contact list."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors, services
from accounts.models import Contact, Invitation, User
from core.access import allow, public
from core.roles import Role

#: Allauth's backend: the session then remembers how the person got in.
_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


class SignupForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Work e-mail"))


def _staff_redirect(contact: Contact) -> HttpResponse:
    return redirect(reverse("accounts:detail", args=[contact.account_id]) + "#contacts")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST uses the link: mail scanners that open every link in an
    e-mail would otherwise spend the one use before the person clicks."""
    if request.method == "GET":
        return render(request, "account/invitation_accept.html", {"token": token})
    try:
        invitation, user = services.invitation_accept(token=token)
    except ValidationError as exc:
        return render(
            request,
            "account/invitation_accept.html",
            {"token": token, "error": exc.messages[0]},
            status=400,
        )
    if user is None:
        return render(
            request, "account/signup_waiting.html", {"account": invitation.contact.account}
        )
    # Django's login() rotates the session key: nothing of the anonymous session's id
    # survives into the signed-in one.
    login(request, user, backend=_BACKEND)
    messages.success(
        request,
        _(
            "Welcome! You are signed in. Set a password on your settings page, or keep "
            "signing in with a code sent by e-mail."
        ),
    )
    return redirect("home")


@public
@never_cache
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Join through the company's verified domain. The answer is the same for every
    address, so the page reveals neither accounts nor people."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.signup_request(
                email=form.cleaned_data["email"], name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            return render(request, "account/signup_sent.html")
    return render(request, "account/join.html", {"form": form}, status=400 if form.errors else 200)


def _contacts_of(request: HttpRequest, account_id: int) -> list[Contact]:
    account = selectors.account_for_user(user=cast(User, request.user), account_id=account_id)
    ids = [int(i) for i in request.POST.getlist("contact") if i.isdigit()]
    return list(account.contacts.filter(pk__in=ids).select_related("account"))


@allow(Role.CSM, Role.ADMIN)
@require_POST
def contacts_invite(request: HttpRequest, account_id: int) -> HttpResponse:
    """Invite one contact, or several after a confirmation (many people get an e-mail)."""
    contacts = _contacts_of(request, account_id)
    if len(contacts) > 1 and request.POST.get("confirm") != "yes":
        account = selectors.account_for_user(user=cast(User, request.user), account_id=account_id)
        return render(
            request,
            "accounts/invite_confirm.html",
            {"account": account, "contacts": contacts},
        )
    try:
        sent = services.invitations_send(actor=cast(User, request.user), contacts=contacts)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        raise
    else:
        messages.success(
            request,
            ngettext("%(count)d invitation sent.", "%(count)d invitations sent.", len(sent))
            % {"count": len(sent)},
        )
    return redirect(reverse("accounts:detail", args=[account_id]) + "#contacts")


def _invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    return get_object_or_404(
        Invitation.objects.select_related("contact__account").filter(
            contact__in=Contact.objects.visible_to(request.user)
        ),
        pk=invitation_id,
    )


@allow(Role.CSM, Role.ADMIN)
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    try:
        services.invitation_resend(actor=cast(User, request.user), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation sent again with a new link."))
    return _staff_redirect(invitation.contact)


@allow(Role.CSM, Role.ADMIN)
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    services.invitation_revoke(actor=cast(User, request.user), invitation=invitation)
    messages.success(request, _("Invitation revoked: its link no longer works."))
    return _staff_redirect(invitation.contact)


@allow(Role.CSM, Role.ADMIN)
@require_POST
def signup_approve(request: HttpRequest, invitation_id: int) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    try:
        services.signup_approve(actor=cast(User, request.user), invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Approved: they were told by e-mail how to sign in."))
    return _staff_redirect(invitation.contact)
