"""case_file writes each row once: the case with the state its FILED and ROUTED events give it,
the events, the audit event; one statement numbers the case; the e-mails are rendered once per
language (bench/cases_cpu.py measures what this saves)."""

from datetime import datetime

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ketnoi.accounts.models import Role
from ketnoi.cases.models import Sequence
from ketnoi.testing import make_user

from .core_helpers import assert_state_is_replayable, file_case, fresh, kinds, mail_to

pytestmark = pytest.mark.django_db


def writes_to(table: str, captured) -> list[str]:
    return [q["sql"].split()[0] for q in captured.captured_queries
            if q["sql"].startswith(("INSERT", "UPDATE")) and f'"{table}"' in q["sql"].split("(")[0]]


def test_the_case_row_is_written_once_with_its_derived_state(w):
    with CaptureQueriesContext(connection) as captured:
        case = file_case(w)
    assert writes_to("cases_case", captured) == ["INSERT"]
    assert writes_to("cases_caseevent", captured) == ["INSERT"]  # both events in one statement
    assert kinds(case) == ["filed", "routed"]
    stored = fresh(case)
    assert stored.status == "new" and stored.unit == w.unit and stored.due_at == case.due_at
    assert_state_is_replayable(case)


def test_the_audit_event_holds_the_case_as_stored(w):
    from ketnoi.audit.models import AuditEvent
    from ketnoi.audit.services import snapshot

    def moments_as_instants(data: dict) -> dict:
        # The same instant is written +07:00 by the service and UTC by the database.
        return {key: datetime.fromisoformat(value) if key.endswith("_at") and value else value
                for key, value in data.items() if key != "updated_at"}

    case = file_case(w)
    after = AuditEvent.objects.get(action="case.file").after
    assert moments_as_instants(after) == moments_as_instants(snapshot(fresh(case)))


def test_the_events_are_stamped_with_the_filing(w):
    case = file_case(w)
    filed, routed = fresh(case).events.order_by("id")
    assert filed.actor == w.business and filed.public and filed.at == case.received_at
    assert routed.actor is None and not routed.public and routed.data["unit"] == w.unit.pk


def test_one_statement_numbers_the_case(w):
    file_case(w)  # the year's row exists from now on
    with CaptureQueriesContext(connection) as captured:
        case = file_case(w)
    sequence = [q["sql"] for q in captured.captured_queries if "cases_sequence" in q["sql"]]
    assert len(sequence) == 1
    year = case.received_at.year
    assert case.reference.endswith(f"-{Sequence.objects.get(year=year).last:06d}")


def test_the_first_case_of_a_year_starts_its_count(w):
    from .core_helpers import at

    case = file_case(w, received_at=at(2031, 1, 2, 9))
    assert case.reference == "VM-2031-000001"
    assert file_case(w, received_at=at(2031, 1, 2, 10)).reference == "VM-2031-000002"


def test_the_answer_needs_no_query_for_the_handling_unit(w):
    case = file_case(w)
    with CaptureQueriesContext(connection) as captured:
        assert case.unit.code == w.unit.code
    assert len(captured) == 0


def test_each_email_template_is_rendered_once_per_language(w, commit):
    make_user(Role.BUSINESS, enterprise=w.enterprise, language="en")
    make_user(Role.BUSINESS, enterprise=w.enterprise, language="vi")  # four business users, two languages
    rendered = []

    def count(sender, template, **kwargs):
        rendered.append(template.name)
    template_rendered.connect(count)
    try:
        with commit():
            file_case(w)
    finally:
        template_rendered.disconnect(count)
    # Two messages: the confirmation to the business users, the notice to the unit's leader.
    languages_of_business = 2
    assert rendered.count("email/cases/update.subject.txt") == languages_of_business + 1
    assert rendered.count("email/cases/update.html") == languages_of_business + 1


def test_every_recipient_gets_the_message_in_their_language(w, commit):
    english = make_user(Role.BUSINESS, enterprise=w.enterprise, language="en")
    vietnamese = make_user(Role.BUSINESS, enterprise=w.enterprise, language="vi")
    with commit():
        case = file_case(w)
    [to_english], [to_vietnamese] = mail_to(english), mail_to(vietnamese)
    assert to_english.subject == f"{case.reference}: We received your difficulty"
    with translation.override("vi"):
        assert to_vietnamese.subject == f"{case.reference}: {translation.gettext('We received your difficulty')}"
    assert to_english.extra_headers["Content-Language"] == "en"
    assert to_vietnamese.extra_headers["Content-Language"] == "vi"
    assert to_english.to == [english.email] and to_vietnamese.to == [vietnamese.email]
