from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ketnoi.front.forms import add_service_errors

from . import selectors, services
from .access import principal_for
from .forms import LoginForm, RegistrationForm, ResetForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


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
