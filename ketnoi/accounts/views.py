from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.front.forms import add_service_errors
from ketnoi.lib import qr

from . import selectors, services, signin, throttle
from .access import principal_for
from .forms import CodeForm, EnrolForm, LoginForm, RegistrationForm, ResetForm, TokenForm, locked_message
from .network import client_ip


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if selectors.two_factor_required(user=user):
            signin.pending_start(self.request, user, next_url=self.get_success_url())
            if selectors.totp_device_confirmed(user=user):
                return redirect("accounts:login_code")
            return redirect("accounts:two_factor_enrol")
        signin.sign_in(self.request, user)
        response = HttpResponseRedirect(self.get_success_url())
        signin.device_cookie_set(self.request, response)
        return response


def _pending_or_restart(request):
    user, pending = signin.pending_user(request)
    if user is None:
        messages.info(request, _("Sign in again: the page for the code was open too long, or the sign-in was not started."))
    return user, pending


def _code_failed(request, form, user, message=None):
    """Count a wrong code like a wrong password; tell the person when it locks the sign-in."""
    block = throttle.login_failure_record(key=throttle.login_key(user.get_username()), ip=client_ip(request),
                                          step="code")
    if block is not None:
        signin.pending_end(request)
        form.add_error(None, locked_message(block))
        return True
    form.add_error("code", message or _("This code is not right. Type the 6 digits your authenticator app shows "
                                         "now, or one of your recovery codes."))
    return False


def _blocked(request, form, user):
    block = throttle.login_blocked(key=throttle.login_key(user.get_username()), ip=client_ip(request))
    if block is not None:
        signin.pending_end(request)
        form.add_error(None, locked_message(block))
    return block is not None


def login_code(request):
    """Second step of a staff sign-in: the authenticator's code (or a recovery code)."""
    user, pending = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    if not selectors.totp_device_confirmed(user=user):
        return redirect("accounts:two_factor_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _blocked(request, form, user):
        code = form.cleaned_data["code"]
        used_recovery = False
        accepted = services.totp_verify(user=user, code=code)
        if not accepted and not code.strip().isdigit():
            accepted = used_recovery = services.recovery_code_use(user=user, code=code)
        if accepted:
            signin.sign_in(request, user)
            if used_recovery:
                messages.warning(request, _(
                    "You signed in with a recovery code; %(left)s are left. If you lost your phone, ask an "
                    "administrator to reset your authenticator.") % {"left": selectors.recovery_codes_left(user=user)})
            response = HttpResponseRedirect(pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL))
            signin.device_cookie_set(request, response)
            return response
        _code_failed(request, form, user)
    return render(request, "accounts/login_code.html", {"form": form, "pending_user": user},
                  status=400 if form.errors else 200)


def two_factor_enrol(request):
    """A staff member without an authenticator adds one before reaching any page: QR code and
    the secret as text, confirmed with a code; then the recovery codes, shown once."""
    user, pending = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:login")
    if selectors.totp_device_confirmed(user=user):
        return redirect("accounts:login_code")
    device = services.totp_enrol_start(user=user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not _blocked(request, form, user):
        try:
            codes = services.totp_enrol_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            _code_failed(request, form, user, message=error.message_dict["code"][0])
        else:
            signin.sign_in(request, user)
            response = render(request, "accounts/recovery_codes.html", {
                "codes": codes, "next": pending.get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)})
            signin.device_cookie_set(request, response)
            add_never_cache_headers(response)  # the codes are shown once: not kept by the browser
            return response
    uri = services.totp_uri(device)
    response = render(request, "accounts/two_factor_enrol.html", {
        "form": form, "pending_user": user, "qr": qr.qr_svg(uri, title=_("QR code to add ketnoi to your authenticator app")),
        "secret": " ".join(device.secret[i:i + 4] for i in range(0, len(device.secret), 4)),
    }, status=400 if form.errors else 200)
    add_never_cache_headers(response)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A signed-in user changes their password; their other sessions end (Django keeps only
    this one, whose key it rotates)."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_change_record(user=form.user)
        messages.success(self.request, _("Your password is changed. You were signed out everywhere else."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # Whoever reads the account's e-mail may sign in again at once: the lock ends.
        response = super().form_valid(form)
        throttle.login_failures_clear(key=throttle.login_key(form.user.get_username()))
        return response


def register(request):
    if request.user.is_authenticated:
        return redirect("front:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.business_register(
                tax_code=data["tax_code"], enterprise_name=data["enterprise_name"],
                full_name=data["full_name"], email=data["email"], phone=data["phone"],
                password=data["password1"], language=get_language() or "vi",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/register_sent.html", {"email": user.email})
    return render(request, "accounts/register.html", {"form": form}, status=400 if form.errors else 200)


def confirm(request, token):
    try:
        services.business_confirm_email(token=token)
    except ValidationError as error:
        return render(request, "accounts/confirm_failed.html", {"message": error.messages[0]}, status=400)
    messages.success(request, _("Your e-mail address is confirmed. You can log in now."))
    return redirect("accounts:login")


@login_required
def account(request):
    principal = principal_for(request.user)
    return render(request, "accounts/account.html", {
        "roles": selectors.roles_of(user=request.user),
        "tokens": selectors.tokens_of(user=request.user),
        "token_form": TokenForm(),
        "principal": principal,
        "two_factor": selectors.totp_device_confirmed(user=request.user),
        "recovery_codes_left": selectors.recovery_codes_left(user=request.user),
    })


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.token_create(user=request.user, name=form.cleaned_data["name"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return render(request, "accounts/token_created.html", {"token": token, "key": key})
    return render(request, "accounts/account.html", {
        "roles": selectors.roles_of(user=request.user),
        "tokens": selectors.tokens_of(user=request.user),
        "token_form": form,
    }, status=400)


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(selectors.tokens_of(user=request.user), pk=token_id)
    services.token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked: programs using it can no longer connect.") % {"name": token.name})
    return redirect("accounts:account")


@login_required
def enterprise(request, enterprise_id):
    principal = principal_for(request.user)
    if enterprise_id not in principal.enterprises():
        raise Http404
    ent = selectors.enterprise_with_users(enterprise_id=enterprise_id)
    return render(request, "accounts/enterprise.html", {"enterprise": ent})
