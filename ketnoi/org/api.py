from datetime import date

from ninja import Router, Schema

from . import selectors

router = Router(tags=["units"])


class UnitOut(Schema):
    id: int
    code: str
    name_vi: str
    name_en: str
    kind: str
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None


@router.get("", auth=None, response=list[UnitOut], summary="Customs units in force on a day (default: today); public, like the units page")
def units(request, on: date | None = None):
    return [unit for unit, _depth in selectors.unit_tree(on=on)]
