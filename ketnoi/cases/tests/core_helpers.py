"""A small world shared by the tests of the cases domain core (services, state, tick, access).

Users, units and enterprises come from ketnoi.testing; cases are filed and moved only through
the services under test, so that the cached state on the row is what the services wrote.
"""

import importlib
from datetime import datetime, timedelta
from types import SimpleNamespace

from django.apps import apps
from django.core import mail
from django.utils import timezone

from ketnoi.accounts.models import Role
from ketnoi.cases import services, state
from ketnoi.cases.models import Case
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.testing import make_enterprise, make_unit, make_user

_seed = importlib.import_module("ketnoi.cases.migrations.0002_topics_and_deadlines").seed

SUBJECT = "Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu"
DESCRIPTION = ("Tờ khai nhập khẩu nguyên liệu năm 2025 đã nộp thuế; hàng đã sản xuất và xuất khẩu. "
               "Chi cục đề nghị bổ sung hồ sơ nhưng chưa nói rõ giấy tờ nào. Xin hướng dẫn.")


def at(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TIMEZONE)


class Clock:
    """Django's clock, set by the test. The services stamp events with `timezone.now()`, so a
    test can say "the business replied three working days later" and check exact deadlines."""

    def __init__(self, monkeypatch, start: datetime):
        self.now = start
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, *args) -> datetime:
        self.now = at(*args)
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def seed_topics_and_policies() -> None:
    """The topics and default deadline policies the migration seeds (idempotent): the flush
    after a transactional test removes them."""
    _seed(apps, None)


def build_world(*, priority: bool = False) -> SimpleNamespace:
    """Three units (the handling unit, another, one a case can be shared with), an enterprise
    whose usual unit is the handling unit, another enterprise, and one user per role."""
    seed_topics_and_policies()
    w = SimpleNamespace()
    w.unit, w.other_unit, w.shared_unit = make_unit(), make_unit(), make_unit()
    w.enterprise = make_enterprise(is_priority=priority, home_unit=w.unit)
    w.other_enterprise = make_enterprise(home_unit=w.other_unit)
    w.business = make_user(Role.BUSINESS, enterprise=w.enterprise)
    w.business2 = make_user(Role.BUSINESS, enterprise=w.enterprise)
    w.other_business = make_user(Role.BUSINESS, enterprise=w.other_enterprise)
    w.operator = make_user(Role.OPERATOR, enterprise=w.enterprise)
    w.officer = make_user(Role.OFFICER, unit=w.unit)
    w.officer2 = make_user(Role.OFFICER, unit=w.unit)
    w.leader = make_user(Role.LEADER, unit=w.unit)
    w.other_officer = make_user(Role.OFFICER, unit=w.other_unit)
    w.other_leader = make_user(Role.LEADER, unit=w.other_unit)
    w.shared_officer = make_user(Role.OFFICER, unit=w.shared_unit)
    w.coordinator = make_user(Role.COORDINATOR)
    w.party = make_user(Role.PARTY_OFFICE)
    w.admin = make_user(Role.ADMIN)
    return w


def file_case(w, *, by=None, enterprise=None, topic="thu-tuc", named_unit="default", **fields) -> Case:
    """A case filed on the web by the world's business user, naming the handling unit."""
    return services.case_file(
        enterprise=enterprise or w.enterprise, by=by or w.business, topic=topic,
        subject=fields.pop("subject", SUBJECT), description=fields.pop("description", DESCRIPTION),
        named_unit=w.unit if named_unit == "default" else named_unit, **fields)


def file_overdue_case(w, *, workdays_ago: int = 15, **fields) -> Case:
    """A case received long enough ago for its deadlines to have passed."""
    return file_case(w, received_at=timezone.now() - timedelta(days=workdays_ago * 7 // 5 + 3), **fields)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def replayed_state(case: Case) -> dict:
    case = fresh(case)
    return state.cached_state(state.replay(case, case.events.all()))


def assert_state_is_replayable(case: Case) -> None:
    case = fresh(case)
    assert state.cached_state(case) == replayed_state(case)


def kinds(case: Case) -> list[str]:
    return list(case.events.order_by("at", "id").values_list("kind", flat=True))


def mail_to(user) -> list:
    return [message for message in mail.outbox if user.email in message.to]
