import unicodedata

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ketnoi.lib.login_throttle import minutes_left
from ketnoi.notifications.services import notify

from . import throttle
from .models import User, clean_tax_code
from .network import client_ip


def locked_message(block) -> str:
    """What a locked sign-in says: when to try again and that the password can be reset, the same
    whether the username exists or not."""
    minutes = minutes_left(block.until, now=timezone.now())
    return ngettext(
        "There were too many unsuccessful sign-in attempts. For your security, signing in is paused "
        "until %(time)s (in %(minutes)s minute). If you have forgotten your password, reset it now "
        "with “Forgot your password?”.",
        "There were too many unsuccessful sign-in attempts. For your security, signing in is paused "
        "until %(time)s (in %(minutes)s minutes). If you have forgotten your password, reset it now "
        "with “Forgot your password?”.", minutes,
    ) % {"time": timezone.localtime(block.until).strftime("%H:%M"), "minutes": minutes}


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or e-mail"), max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "autocapitalize": "none"}),
    )
    error_messages = {
        "invalid_login": _(
            "The username or password is not right. Check them and try again; letters in the "
            "password must match in capitals and small letters."
        ),
        "inactive": _("This account is not active yet. Open the confirmation link we sent to your e-mail."),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip()

    def clean(self):
        username = self.cleaned_data.get("username")
        if not username or not self.cleaned_data.get("password"):
            return super().clean()
        # Throttled before the password is even checked: a locked account cannot be guessed.
        key, ip = throttle.login_key(username), client_ip(self.request) if self.request else None
        block = throttle.login_blocked(key=key, ip=ip)
        if block is not None:
            raise forms.ValidationError(locked_message(block), code="locked")
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self._unconfirmed_user() is not None:
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from error
            if error.code == "invalid_login":
                block = throttle.login_failure_record(key=key, ip=ip)
                if block is not None:
                    raise forms.ValidationError(locked_message(block), code="locked") from error
            raise

    def _unconfirmed_user(self):
        """Django's backends refuse an inactive user as if it did not exist; a business that has
        not confirmed its e-mail yet needs to hear why. Only with the right password, so that
        nobody learns which addresses are registered."""
        username, password = self.cleaned_data.get("username"), self.cleaned_data.get("password")
        if not username or not password:
            return None
        matches = list(User.objects.filter(email__iexact=username)[:2]) if "@" in username else []
        user = matches[0] if len(matches) == 1 else User.objects.filter(username=username).first()
        if user is None or user.is_active or user.last_login is not None or not user.check_password(password):
            return None
        return user


class ResetForm(PasswordResetForm):
    def get_users(self, email):
        """Active users with this address. Unlike Django's form, also those without a usable
        password: staff accounts are created without one and choose it through this e-mail."""
        def folded(value):
            return unicodedata.normalize("NFKC", value).casefold()

        # As Django's: compare again in Python, where case folding does not depend on the database.
        users = User.objects.filter(email__iexact=email, is_active=True)
        return (user for user in users if folded(user.email) == folded(email))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        """Sent like every other message: in the user's language, links from KETNOI_BASE_URL."""
        notify(user=context["user"], template="accounts/password_reset", context=context, in_app=False)


class RegistrationForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Enterprise tax code"), max_length=20,
        help_text=_("10 digits, or 13 digits written 0123456789-001 for a dependent unit."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=255,
                                      help_text=_("As on the business registration certificate."))
    full_name = forms.CharField(label=_("Your full name"), max_length=150,
                                widget=forms.TextInput(attrs={"autocomplete": "name"}))
    # The address becomes the username, which has at most 150 characters.
    email = forms.EmailField(label=_("Your work e-mail"), max_length=150,
                             help_text=_("We send a link to this address to confirm it. You log in with it."),
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    password1 = forms.CharField(label=_("Password"), strip=False,
                                help_text=_("At least 10 characters, not only digits, not a common password."),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Password again"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_tax_code(self):
        return clean_tax_code(self.cleaned_data["tax_code"])

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords are different. Type the same password twice."))
        elif p1:
            try:
                # The validators compare the password with the account's e-mail address.
                email = data.get("email") or ""
                candidate = User(username=email, email=email, phone=data.get("phone") or "")
                candidate.pending_tax_code = data.get("tax_code") or ""
                password_validation.validate_password(p1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80,
                           help_text=_("What will use it, for example “Phần mềm kế toán”."))


class CodeForm(forms.Form):
    """The second step of a staff sign-in: the authenticator's code, or a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=20,
        help_text=_("The 6 digits the app shows for ketnoi now. Lost your phone? Type one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "autocapitalize": "none", "spellcheck": "false"}),
    )


class EnrolForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"), max_length=6, min_length=6,
        help_text=_("After adding ketnoi to the app, type the 6 digits it shows."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autocapitalize": "none", "spellcheck": "false"}),
    )
