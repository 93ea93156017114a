"""Two app servers (two connections) writing audit events at once keep the chain one line:
appends wait for each other on the chain's head until their transaction ends."""

import pytest
from django.db import transaction

from ketnoi.audit import chain
from ketnoi.audit.models import AuditEvent
from ketnoi.audit.services import audit_record
from ketnoi.testing import race, seed_reference_data

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def writer(name: str, n: int):
    def run():
        for i in range(n):
            # Several events in one transaction, as a service writes them, and one alone.
            with transaction.atomic():
                audit_record(actor=None, action="case.assign", object_type="cases.case", object_id=f"{name}-{i}",
                             object_repr=f"Công ty TNHH Thương mại {name} {i}")
                audit_record(actor=None, action="case.answer", object_type="cases.case", object_id=f"{name}-{i}")
            audit_record(actor=None, action="case.rate", object_type="cases.case", object_id=f"{name}-{i}")
        return n
    return run


def test_two_writers_at_once_keep_a_valid_chain():
    seed_reference_data()
    results, errors = race(writer("A", 40), writer("B", 40))
    assert errors == [None, None]
    assert AuditEvent.objects.filter(action__startswith="case.").count() == 240
    events = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    # One line: every hash is the previous hash of exactly the next event, none is shared.
    assert len({prev for prev, _ in events}) == len(events)
    result = chain.verify()
    assert result.intact, result.broken
    assert result.count == len(events)
