from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import clean_tax_code


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
    email = forms.EmailField(label=_("Your work e-mail"), max_length=254,
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
                password_validation.validate_password(p1)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=80,
                           help_text=_("What will use it, for example “Phần mềm kế toán”."))
