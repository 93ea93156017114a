"""The password rule Django lacks: Vietnamese weak passwords and the account's own numbers."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ketnoi.lib.weak_passwords import weakness


def personal_numbers(user) -> list[str]:
    """The phone and tax codes tied to `user`: of its enterprises once it is saved, and the one
    a registration is about to use (`pending_tax_code`) before."""
    if user is None:
        return []
    numbers = [getattr(user, "phone", "") or "", getattr(user, "pending_tax_code", "") or ""]
    if getattr(user, "pk", None):
        from .models import Enterprise

        for tax_code, phone in Enterprise.objects.filter(role_assignments__user=user).values_list("tax_code", "phone"):
            numbers += [tax_code, phone]
    return [number for number in numbers if number]


class VietnameseWeakPasswordValidator:
    def validate(self, password, user=None):
        reason = weakness(password, personal_numbers=personal_numbers(user))
        if reason == "common":
            raise ValidationError(
                _("This password is one that many people use (such as “matkhau123” or “123456789a”) and is "
                  "among the first ones tried. Choose a phrase only you would think of, for example three "
                  "or four words with a number."),
                code="password_vietnamese_common")
        if reason == "personal":
            raise ValidationError(
                _("This password contains your phone number or your enterprise's tax code, which others "
                  "know. Choose a password without them."),
                code="password_personal_number")

    def get_help_text(self):
        return _("Your password cannot be a commonly used Vietnamese password or contain your phone number "
                 "or tax code.")
