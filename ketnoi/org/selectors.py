from datetime import date

from django.db.models import Q, QuerySet

from .models import Unit


def units_active(*, on: date | None = None) -> QuerySet[Unit]:
    from django.utils import timezone

    on = on or timezone.localdate()
    return Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on),
    ).select_related("parent")


def unit_tree(*, on: date | None = None) -> list[tuple[Unit, int]]:
    """Active units in tree order, each with its depth (0 for the department)."""
    units = list(units_active(on=on))
    children: dict[int | None, list[Unit]] = {}
    ids = {u.pk for u in units}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    out: list[tuple[Unit, int]] = []

    def walk(parent, depth):
        for unit in sorted(children.get(parent, []), key=lambda u: (u.code or "~", u.name_vi)):
            out.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out


def unit_descendant_ids(unit: Unit) -> set[int]:
    """The unit and every unit below it, closed ones included."""
    found, frontier = {unit.pk}, [unit.pk]
    while frontier:
        frontier = list(Unit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in found]
        found.update(frontier)
    return found
