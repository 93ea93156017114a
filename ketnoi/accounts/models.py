import hashlib

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ketnoi.lib import taxcode


class Role(models.TextChoices):
    """The roles of DESIGN.md. Officer and leader roles belong to a unit; business and operator
    roles to an enterprise; the others are department-wide."""

    BUSINESS = "business", _("Business user")
    OPERATOR = "operator", _("Operator user")
    OFFICER = "officer", _("Officer")
    LEADER = "leader", _("Unit leader")
    COORDINATOR = "coordinator", _("Department coordinator")
    PARTY_OFFICE = "party", _("Party office")
    ADMIN = "admin", _("Administrator")


UNIT_ROLES = {Role.OFFICER, Role.LEADER}
ENTERPRISE_ROLES = {Role.BUSINESS, Role.OPERATOR}
STAFF_ROLES = {Role.OFFICER, Role.LEADER, Role.COORDINATOR}


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    position = models.CharField(_("position"), max_length=120, blank=True)
    language = models.CharField(
        _("language"), max_length=5, default="vi", choices=[("vi", "Tiếng Việt"), ("en", "English")]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.get_username()

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.get_username()


def clean_tax_code(value: str) -> str:
    """The canonical tax code, or a ValidationError that says, in the user's language, what to fix."""
    try:
        return taxcode.validate(value)
    except taxcode.InvalidTaxCode as error:
        raise ValidationError(error.message_in(get_language()), code="invalid_tax_code") from error


def validate_tax_code(value: str) -> None:
    clean_tax_code(value)


class Enterprise(models.Model):
    """A business (doanh nghiệp), identified by its tax code (mã số thuế)."""

    tax_code = models.CharField(
        _("tax code"), max_length=14, unique=True, validators=[validate_tax_code],
        help_text=_("10 digits, or 13 digits written 0123456789-001 for a dependent unit."),
    )
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    # Doanh nghiệp ưu tiên (AEO): shorter answer deadlines (TT 72/2015/TT-BTC Art. 7.2).
    is_priority = models.BooleanField(_("priority (AEO) enterprise"), default=False)
    # The unit where it usually does its customs procedures.
    home_unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="enterprises",
        verbose_name=_("usual customs unit"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return f"{self.name} ({self.tax_code})"


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("unit"),
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("enterprise"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "unit"], condition=models.Q(unit__isnull=False),
                name="role_unique_per_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "enterprise"], condition=models.Q(enterprise__isnull=False),
                name="role_unique_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(unit__isnull=True, enterprise__isnull=True),
                name="role_unique_department_wide",
            ),
            models.CheckConstraint(
                name="role_assignment_scope",
                condition=(
                    models.Q(role__in=["officer", "leader"], unit__isnull=False, enterprise__isnull=True)
                    | models.Q(role__in=["business", "operator"], unit__isnull=True, enterprise__isnull=False)
                    | models.Q(role__in=["coordinator", "party", "admin"], unit__isnull=True, enterprise__isnull=True)
                ),
            ),
        ]

    def __str__(self):
        scope = self.unit or self.enterprise
        return f"{self.get_role_display()} – {scope}" if scope else self.get_role_display()


def hash_token(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the key is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("starts with"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    key_hash.audit_secret = True
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


# --- sign-in security (issue 10) -------------------------------------------------------------

# Who must sign in with a second factor: everyone who works inside the department and the
# administrators (party data, cases of every enterprise, user accounts).
TWO_FACTOR_ROLES = {Role.OFFICER, Role.LEADER, Role.COORDINATOR, Role.PARTY_OFFICE, Role.ADMIN}


class LoginFailure(models.Model):
    """A failed sign-in (wrong password or wrong code), for throttling across app servers.

    `username` is what the person typed, folded, or the account's username when it names one
    (so "lan" and "lan@example.vn" share a counter). A successful sign-in marks the username's
    failures cleared; the address's count keeps them. Rows older than a day are pruned by
    `ketnoi tick`.
    """

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    cleared = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["username", "at"]), models.Index(fields=["ip", "at"]),
                   models.Index(fields=["at"], name="accounts_loginfailure_at")]

    def __str__(self):
        return f"{self.username} {self.ip} {self.at:%d/%m/%Y %H:%M}"


class TotpDevice(models.Model):
    """A user's authenticator app (RFC 6238 TOTP): the shared secret and the last time step used.

    The secret must be readable to check codes, so it cannot be hashed; it is left out of every
    audit snapshot (audit_secret) and never shown again after enrolment."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    secret.audit_secret = True
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The time step of the last code accepted: a code is accepted once (RFC 6238 section 5.2).
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self):
        return f"{self.user} ({'confirmed' if self.confirmed_at else 'not confirmed'})"


class RecoveryCode(models.Model):
    """A one-time code to sign in without the authenticator; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    code_hash.audit_secret = True
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} {'used' if self.used_at else 'unused'}"
