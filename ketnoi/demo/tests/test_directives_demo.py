"""The demo's directives: February–April 2020, written through the directives services in order
of time, acknowledged and reported by the units' leaders, and added once."""

import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ketnoi.accounts.models import Role, RoleAssignment
from ketnoi.audit.models import AuditEvent
from ketnoi.demo.directives import DATA, END, OFFICES, DirectiveBuilder, plan, read_chains
from ketnoi.demo.generate import DemoBuilder
from ketnoi.directives import selectors
from ketnoi.directives.models import Change, Directive, Recipient, Urgency
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.notifications.models import Notification
from ketnoi.org.models import Unit

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"^(\d+)/HQHCM-([A-Za-z]+)$")


def department(*, officers: int = 40):
    """The units, a few officers per unit (the first two of each are its leaders) and the logins."""
    builder = DemoBuilder(seed=2020, officers=officers, enterprises=0)
    builder.build_units()
    builder.build_officers()
    builder.build_logins(password=None)
    return builder


@pytest.fixture(scope="class")
def history(django_db_setup, django_db_blocker):
    """The demo department and its directives, built once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        department()
        yield DirectiveBuilder(seed=2020).build()
        transaction.set_rollback(True)


def chains() -> dict:
    found = defaultdict(list)
    for directive in Directive.objects.order_by("version"):
        found[directive.chain].append(directive)
    return found


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, TIMEZONE)


def counts():
    recipients = Recipient.objects
    return (Directive.objects.count(), recipients.count(), recipients.exclude(acknowledged_at=None).count(),
            recipients.exclude(reported_at=None).count(), recipients.exclude(escalated_at=None).count(),
            AuditEvent.objects.count(), Notification.objects.count())


class TestTheDirectivesOfTheEpidemic:
    def test_it_issues_about_eighty_versions_through_the_services(self, history):
        assert history.skipped == []
        assert 75 <= Directive.objects.count() == history.directives == len(plan(seed=2020)) <= 90
        assert set(Directive.objects.values_list("issued_by__username", flat=True)) == {"coordinator"}
        audited = AuditEvent.objects.filter(action__in=["directive.issued", "directive.replaces", "directive.amends"])
        assert audited.count() == Directive.objects.count()
        for directive in Directive.objects.all():
            assert date(2020, 2, 1) <= local(directive.issued_at).date() <= date(2020, 4, 30)

    def test_numbers_rise_with_the_time_of_issue(self, history):
        numbers = [NUMBER.match(n) for n in Directive.objects.order_by("issued_at").values_list("number", flat=True)]
        assert all(numbers)
        rising = [int(m.group(1)) for m in numbers]
        assert rising == sorted(rising) and len(set(rising)) == len(rising)
        assert {m.group(2) for m in numbers} <= set(OFFICES) and len({m.group(2) for m in numbers}) >= 5

    def test_the_department_or_one_of_its_divisions_issues_them_and_signs_them(self, history):
        issuers = Counter(Directive.objects.values_list("issuing_unit__name_vi", flat=True))
        assert issuers.most_common(1)[0][0] == "Cục Hải quan TP. Hồ Chí Minh"
        assert set(issuers) - {"Cục Hải quan TP. Hồ Chí Minh"} <= set(OFFICES.values())
        assert len(issuers) >= 3
        titles = set(Directive.objects.filter(issuing_unit__code="02").values_list("signer_title", flat=True))
        assert titles == {"Cục trưởng", "Phó Cục trưởng"}

    def test_chains_have_several_versions_each_replacing_the_one_before(self, history):
        found = chains()
        sizes = [len(versions) for versions in found.values()]
        assert max(sizes) <= 6 and sum(1 for n in sizes if n >= 3) >= 8 and sizes.count(1) >= 2
        for versions in found.values():
            assert [d.version for d in versions] == list(range(1, len(versions) + 1))
            assert versions[0].previous is None and versions[0].change == Change.NEW
            for older, newer in zip(versions, versions[1:]):
                assert newer.previous_id == older.pk and newer.change in (Change.REPLACES, Change.AMENDS)
                assert older.superseded_from == newer.effective_from
                assert older.issued_at < newer.issued_at and older.body != newer.body
            assert versions[-1].superseded_from is None
        assert Directive.objects.filter(change=Change.AMENDS).count() >= 10

    def test_a_later_version_changes_a_few_words_and_the_diff_shows_them(self, history):
        second = Directive.objects.get(version=2, title__startswith="Về việc kiểm tra thân nhiệt")
        first = second.previous
        _particulars, paragraphs = selectors.compare(first, second)
        changed = [p for p in paragraphs if p.status == "changed"]
        assert any(("removed", "30") in p.pieces and ("added", "00") in p.pieces for p in changed)
        assert any(p.status == "added" for p in paragraphs)

    def test_on_15_march_each_branch_has_one_version_of_each_chain_in_force(self, history):
        branches = Unit.objects.filter(kind=Unit.Kind.BRANCH)
        assert branches.count() == 14
        for branch in branches:
            current = list(selectors.in_force(day=date(2020, 3, 15), units=[branch]))
            assert len(current) >= 5, branch.code
            assert len({d.chain for d in current}) == len(current), branch.code

    def test_some_directives_end(self, history):
        ended = Directive.objects.filter(effective_to__isnull=False, next_version__isnull=True)
        assert ended.count() >= 3
        for directive in ended:
            assert directive.in_force_on(directive.effective_to)
            day_after = directive.effective_to + timedelta(days=1)
            assert not selectors.in_force(day=day_after).filter(chain=directive.chain).exists()

    def test_they_ask_for_acknowledgement_within_2_to_24_hours_and_most_are_urgent_early_on(self, history):
        hours = list(Directive.objects.values_list("ack_within_hours", flat=True))
        assert sum(1 for h in hours if h) > 0.8 * len(hours)
        assert all(2 <= h <= 24 for h in hours if h)
        assert Directive.objects.filter(report_due__isnull=False).count() >= 15
        february = Directive.objects.filter(issued_at__lt=datetime(2020, 3, 1, tzinfo=TIMEZONE))
        urgent = february.filter(urgency__in=[Urgency.URGENT, Urgency.VERY_URGENT, Urgency.IMMEDIATE])
        assert urgent.count() > 0.8 * february.count()
        assert set(Directive.objects.values_list("target", flat=True)) == {"all", "units", "kinds"}

    def test_the_units_leaders_acknowledge_most_on_time_some_late_a_few_never(self, history):
        asked = Recipient.objects.exclude(ack_due_at=None)
        late = asked.filter(acknowledged_at__gt=F("ack_due_at")).count()
        missing = asked.filter(acknowledged_at=None).count()
        assert history.acknowledgements > 0.8 * asked.count()
        assert 0.05 * asked.count() < late < 0.25 * asked.count()
        assert 5 <= missing < 0.05 * asked.count()
        leaders = set(RoleAssignment.objects.filter(role=Role.LEADER).values_list("unit_id", "user_id"))
        for unit_id, user_id, acknowledged, issued in asked.exclude(acknowledged_at=None).values_list(
                "unit_id", "acknowledged_by_id", "acknowledged_at", "directive__issued_at"):
            assert (unit_id, user_id) in leaders
            assert issued < acknowledged

    def test_the_follow_up_matrix_shows_overdue_cells(self, history):
        current = list(selectors.in_force(day=date(2020, 4, 30)))
        cells = selectors.matrix(directives=current, now=END).cells.values()
        assert any(cell.acknowledgement == "overdue" for cell in cells)
        assert any(cell.acknowledgement == "late" for cell in cells)
        assert any(cell.report == "overdue" for cell in cells)

    def test_acknowledgements_not_given_in_time_were_escalated_a_minute_after_the_deadline(self, history):
        assert history.escalated == Recipient.objects.exclude(escalated_at=None).count() > 0
        latest = Recipient.objects.filter(directive__next_version__isnull=True, ack_due_at__lt=END)
        assert not latest.filter(acknowledged_at=None, escalated_at=None).exists()
        escalated = Recipient.objects.exclude(escalated_at=None)
        for due, escalated_at, acknowledged in escalated.values_list("ack_due_at", "escalated_at", "acknowledged_at"):
            assert due < escalated_at <= due + timedelta(minutes=1)  # the first tick after the deadline
            assert acknowledged is None or acknowledged > escalated_at
        assert escalated.exclude(acknowledged_at=None).exists()  # escalated, then acknowledged late

    def test_units_file_their_reports_most_by_the_day_due(self, history):
        asked = Recipient.objects.exclude(directive__report_due=None)
        filed = asked.exclude(reported_at=None)
        assert history.reports == filed.count() > 0.8 * asked.count()
        late = [r for r in filed.select_related("directive") if local(r.reported_at).date() > r.directive.report_due]
        assert 0 < len(late) < 0.3 * filed.count()
        assert asked.filter(reported_at=None).exists()
        for recipient in filed.select_related("unit"):
            assert len(recipient.report_text) > 80 and "{" not in recipient.report_text
            assert recipient.acknowledged_at is not None and recipient.reported_by_id

    def test_running_it_again_adds_nothing(self, history):
        before = counts()
        again = DirectiveBuilder(seed=2020).build()
        assert (again.directives, again.acknowledgements, again.reports, again.escalated) == (0, 0, 0, 0)
        assert again.skipped == []
        assert counts() == before


def test_every_version_of_the_data_file_is_a_vietnamese_document_of_several_paragraphs():
    versions = [v for chain in read_chains() for v in chain]
    assert len(versions) == len(plan(seed=2020))
    for v in versions:
        paragraphs = v.body.split("\n\n")
        assert len(paragraphs) >= 4 and len(v.body) > 500, (v.chain, v.version)
        assert v.body.endswith("./.") and "Về việc" in v.title
    assert len({v.body for v in versions}) == len(versions)


def test_a_replacement_that_finds_nothing_is_an_error_of_the_data_file(tmp_path):
    document = json.loads(DATA.read_text(encoding="utf-8"))
    chain = document["chains"][1]
    chain["versions"][1]["replace"] = [["07 giờ 45", "08 giờ 15"]]
    document["chains"] = [chain]
    (tmp_path / "d.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="07 giờ 45"):
        read_chains(tmp_path / "d.json")


def test_the_seed_decides_the_moments_but_not_the_texts():
    one, other = plan(seed=2020), plan(seed=7)
    assert [v.body for v in one] == [v.body for v in plan(seed=2020)] and [v.issued_at for v in one] == [
        v.issued_at for v in plan(seed=2020)]
    assert sorted(v.body for v in one) == sorted(v.body for v in other)
    assert [v.issued_at for v in one] != [v.issued_at for v in other]


@pytest.mark.django_db(transaction=True)
def test_the_notices_of_2020_send_no_mail_and_are_read(tmp_path):
    """Committed for real, so the services' notices run: no e-mail leaves today, and the in-app
    notifications are there, read. Two chains of the data file keep it quick."""
    document = json.loads(DATA.read_text(encoding="utf-8"))
    document["chains"] = [c for c in document["chains"] if c["key"] in ("do-than-nhiet", "hanh-khach-san-bay")]
    (tmp_path / "two.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    department()
    built = DirectiveBuilder(seed=2020, data=tmp_path / "two.json").build()
    assert built.directives == 10 and built.acknowledgements > 0
    assert mail.outbox == []
    notices = Notification.objects.filter(kind__startswith="directives/")
    assert notices.filter(kind="directives/issued").count() > 10
    assert not notices.filter(read_at=None).exists()
