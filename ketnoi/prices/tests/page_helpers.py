"""What the prices page tests share: a small world of operators, facilities, lists and a
commitment in its period, with the people who may and may not act on them."""

import re
from datetime import timedelta
from html import unescape

from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.prices import services
from ketnoi.prices.models import (
    Breach, BreachItem, Commitment, FacilityKind, FollowUpNote, Price, PriceList,
)
from ketnoi.testing import make_enterprise, make_unit, make_user

BASELINE = {"NH20": 1_000_000, "NH40": 1_500_000, "LB20": 120_000, "DO": 250_000}


def make_world() -> dict:
    today = timezone.localdate()
    port = make_unit(code="02CI", name_vi="Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I",
                     name_en="Saigon Port Area I Customs Branch")
    airport = make_unit(code="02B1", name_vi="Chi cục Hải quan cửa khẩu Sân bay quốc tế Tân Sơn Nhất",
                        name_en="Tan Son Nhat International Airport Customs Branch")
    operator = make_enterprise(name="Công ty Cổ phần Kho vận Tân Cát Long")
    other_operator = make_enterprise(name="Công ty TNHH Dịch vụ Hàng hóa Phương Nam Xanh")
    users = {
        "coordinator": make_user(Role.COORDINATOR, full_name="Võ Thị Mai"),
        "port_leader": make_user(Role.LEADER, unit=port, full_name="Phan Đức Long"),
        "port_officer": make_user(Role.OFFICER, unit=port),
        "airport_officer": make_user(Role.OFFICER, unit=airport),
        "operator": make_user(Role.OPERATOR, enterprise=operator, full_name="Lê Minh Tâm"),
        "other_operator": make_user(Role.OPERATOR, enterprise=other_operator),
        "business": make_user(Role.BUSINESS, enterprise=make_enterprise()),
    }
    coordinator = users["coordinator"]
    yard = services.facility_create(operator=operator, name="Bãi container Tân Cát Long", kind=FacilityKind.YARD,
                                    unit=port, by=coordinator, address="Đường Nguyễn Thị Định, TP. Thủ Đức")
    cfs = services.facility_create(operator=operator, name="Kho CFS Tân Cát Long", kind=FacilityKind.CFS,
                                   unit=port, by=coordinator)
    cargo = services.facility_create(operator=other_operator, name="Kho hàng không Phương Nam Xanh",
                                     kind=FacilityKind.AIR_CARGO, unit=airport, by=coordinator)
    services.price_list_file(facility=yard, prices=BASELINE, effective_from=today - timedelta(days=90), by=coordinator)
    services.price_list_file(facility=yard, prices={**BASELINE, "LB20": 110_000},
                             effective_from=today - timedelta(days=45), by=coordinator)
    services.price_list_file(facility=cfs, prices={"NH20": 950_000, "DO": 200_000},
                             effective_from=today - timedelta(days=90), by=coordinator)
    services.price_list_file(facility=cargo, prices={"HKKG": 1_200, "NH20": 1_100_000},
                             effective_from=today - timedelta(days=90), by=coordinator)
    commitment = services.commitment_create(
        operator=operator, facilities=[yard], period_from=today - timedelta(days=30),
        period_to=today + timedelta(days=335), signed_on=today - timedelta(days=30), by=coordinator)
    return {"today": today, "port": port, "airport": airport, "operator": operator, "other_operator": other_operator,
            "users": users, "yard": yard, "cfs": cfs, "cargo": cargo, "commitment": commitment}


def as_user(client, world, name, language: str = "vi"):
    """Log in as one of the world's people; a test that reads English messages asks for "en"
    (the user's own language wins over the language cookie)."""
    user = world["users"][name]
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    client.force_login(user)
    return client


def counts() -> tuple:
    """Rows of every prices table a page could write."""
    return (PriceList.objects.count(), Price.objects.count(), Commitment.objects.count(), Breach.objects.count(),
            BreachItem.objects.count(), FollowUpNote.objects.count())


def text(response) -> str:
    """The page's main content as plain text, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[start:html.index("</div>", start)])).split())
