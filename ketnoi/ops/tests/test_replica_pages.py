"""The dashboards and reports read their figures from the replica; who may see them, and the
sums the reports keep up to date as they are read, are read and written on the primary."""

from datetime import date

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from ketnoi.accounts.models import Role
from ketnoi.ops.replica import DEFAULT, REPLICA
from ketnoi.ops.services import heartbeat_record
from ketnoi.reports import yearend
from ketnoi.reports.models import RefreshState
from ketnoi.testing import make_case, make_user, seed_reference_data

pytestmark = pytest.mark.django_db(transaction=True, databases="__all__")


@pytest.fixture
def coordinator(mirror):
    seed_reference_data()
    return make_user(Role.COORDINATOR, full_name="Võ Thị Mai")


def tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@pytest.mark.parametrize("url", ["/bao-cao/", "/bao-cao/cong-khai/", "/bao-cao/du-lieu-mo/", "/doi-thoai/thong-ke/",
                                 "/gia-dich-vu/"])
def test_a_report_page_reads_its_figures_from_the_replica(client, coordinator, url):
    make_case()
    client.force_login(coordinator)
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get(url)
    assert response.status_code == 200
    assert len(replica.captured_queries) > 0


def test_the_dashboard_folds_new_cases_in_on_the_primary_and_reads_the_sums_from_the_replica(client, coordinator):
    make_case()
    client.force_login(coordinator)
    with CaptureQueriesContext(connections[DEFAULT]) as primary, \
            CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/bao-cao/").status_code == 200
    assert RefreshState.objects.get(pk=1).last_case_id > 0  # the case was folded in, on the primary
    assert '"reports_refreshstate"' in tables(primary.captured_queries)
    assert '"reports_refreshstate"' not in tables(replica.captured_queries)
    assert '"reports_casecount"' in tables(replica.captured_queries)
    # Who may see the dashboard was read from the primary.
    assert '"accounts_roleassignment"' in tables(primary.captured_queries)
    assert '"accounts_roleassignment"' not in tables(replica.captured_queries)


def test_the_open_data_download_is_read_from_the_replica_as_it_is_sent(client, coordinator):
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        response = client.get("/bao-cao/du-lieu-mo/hoi-dap.csv")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body
    assert '"knowledge_article"' in tables(replica.captured_queries)


def test_a_coordinator_who_just_posted_reads_the_dashboard_from_the_primary(client, coordinator):
    client.force_login(coordinator)
    assert client.post("/language/", {"language": "en", "next": "/"}).status_code == 302
    with CaptureQueriesContext(connections[REPLICA]) as replica:
        assert client.get("/bao-cao/").status_code == 200
    assert replica.captured_queries == []


def test_the_year_end_review_reads_the_replica_while_its_progress_is_written_to_the_primary(coordinator):
    seen = []

    def progress(done, total, label):
        heartbeat_record(name="year-end")  # as the job's progress is written
        seen.append(len(replica.captured_queries))

    with CaptureQueriesContext(connections[REPLICA]) as replica:
        yearend.year_end_document(year=2020, progress=progress, on=date(2021, 1, 15))
    assert len(seen) == len(yearend.SECTIONS)
    assert seen[0] > 0
    assert seen[-1] > seen[0]  # still reading the replica after the first progress was written
