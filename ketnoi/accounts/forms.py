import unicodedata

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from ketnoi.notifications.services import notify

from .models import User, clean_tax_code


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
        try:
            return super().clean()
        except forms.ValidationError as error:
            if error.code == "invalid_login" and self._unconfirmed_user() is not None:
                raise forms.ValidationError(self.error_messages["inactive"], code="inactive") from error
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
                password_validation.validate_password(p1, User(username=email, email=email))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80,
                           help_text=_("What will use it, for example “Phần mềm kế toán”."))
