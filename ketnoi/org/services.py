from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.audit.services import audit_record, snapshot

from .models import Unit


@transaction.atomic
def unit_close(*, unit: Unit, on: date, change: str, successor: Unit | None, by) -> Unit:
    """Rename, merge or dissolve a unit: close it on `on`, pointing at its successor.

    Renamed and merged units must name a successor; a dissolved unit may name the unit that
    takes over its remaining work.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if unit.valid_to is not None:
        raise ValidationError(_("This unit was already closed on %(day)s.") % {"day": unit.valid_to.strftime("%d/%m/%Y")})
    if change not in Unit.Change.values:
        raise ValidationError(_("Choose what happened to the unit: renamed, merged or dissolved."))
    if change != Unit.Change.DISSOLVED and successor is None:
        raise ValidationError(_("A renamed or merged unit needs the unit that continues its work."))
    if successor is not None:
        successor = Unit.objects.get(pk=successor.pk)  # as stored: the caller's copy may be stale
    if successor is not None and (successor.pk == unit.pk or successor.current().pk == unit.pk):
        raise ValidationError(_("A unit cannot be its own successor."))
    if unit.valid_from and on < unit.valid_from:
        raise ValidationError(_("The closing date cannot be before the unit was created."))
    before = snapshot(unit)
    unit.valid_to, unit.change, unit.successor = on, change, successor
    unit.save()
    audit_record(actor=by, action=f"unit.{change}", obj=unit, before=before, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_create(*, code: str, name_vi: str, name_en: str, kind: str, parent: Unit | None, by,
                short_name_vi: str = "", short_name_en: str = "", address: str = "", phone: str = "",
                email: str = "", valid_from: date | None = None) -> Unit:
    unit = Unit(code=code.strip().upper(), name_vi=name_vi.strip(), name_en=name_en.strip(), kind=kind,
                parent=parent, short_name_vi=short_name_vi, short_name_en=short_name_en,
                address=address, phone=phone, email=email, valid_from=valid_from)
    unit.full_clean()
    unit.save()
    audit_record(actor=by, action="unit.create", obj=unit, after=snapshot(unit))
    return unit
