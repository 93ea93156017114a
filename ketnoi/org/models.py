from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """A customs unit: the department, its branches and divisions, and their teams.

    Units are renamed, merged and dissolved (e.g. the 1/3/2025 reorganisation, QĐ 382/QĐ-BTC):
    a unit is then closed (`valid_to`) and points at its `successor`, never deleted, so that a
    record filed with the old unit still shows where its work went.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        BRANCH = "branch", _("Branch")
        DIVISION = "division", _("Division")
        TEAM = "team", _("Team")

    class Change(models.TextChoices):
        RENAMED = "renamed", _("Renamed")
        MERGED = "merged", _("Merged")
        DISSOLVED = "dissolved", _("Dissolved")

    # VNACCS customs office code (mã hải quan), e.g. 02F3; divisions have none.
    code = models.CharField(_("office code"), max_length=8, blank=True)
    name_vi = models.CharField(_("name (Vietnamese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    short_name_vi = models.CharField(_("short name (Vietnamese)"), max_length=80, blank=True)
    short_name_en = models.CharField(_("short name (English)"), max_length=80, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent unit"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors",
        verbose_name=_("successor"),
    )
    change = models.CharField(_("what happened"), max_length=12, choices=Change.choices, blank=True)

    class Meta:
        ordering = ["kind", "code", "name_vi"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="unit_code_unique_when_set",
                violation_error_message=_("Another unit already has this office code."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_to_after_valid_from",
                violation_error_message=_("The closing date cannot be before the unit was created."),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}".strip() if self.code else self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name_vi

    @property
    def short_name(self) -> str:
        en = (get_language() or "vi").startswith("en")
        return (self.short_name_en if en else self.short_name_vi) or self.name

    def is_active_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def current(self) -> "Unit":
        """The unit that carries this unit's work today (itself, or its last successor)."""
        unit, seen = self, {self.pk}
        while unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor
        return unit
