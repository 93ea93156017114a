"""The year-end review from the pages (/tac-vu/tong-ket/): the coordinators and the party office
choose a year and a format; a job is queued and they go to its page. Bad input is told on the
page and queues nothing; the other roles are refused."""

from datetime import date

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ketnoi.accounts.models import Role
from ketnoi.background.kinds import YEAR_END
from ketnoi.background.models import Job
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db

URL = "/tac-vu/tong-ket/"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTY_OFFICE])
def test_it_shows_the_form_to_those_who_render_the_review(client, role):
    client.force_login(make_user(role))
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="year"' in page and 'value="docx"' in page and 'value="pdf"' in page
    # The year just ended is offered first: the review is written in January.
    assert f'<option value="{date.today().year - 1}" selected>' in page


def test_it_queues_the_review_and_goes_to_its_page(client, coordinator):
    client.force_login(coordinator)
    response = client.post(URL, {"year": "2020", "fmt": "pdf"})
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/tac-vu/{job.pk}/"
    assert (job.kind, job.params, job.requested_by, job.state) == (YEAR_END, {"year": 2020, "fmt": "pdf"},
                                                                     coordinator, Job.State.QUEUED)
    assert job.language == "vi"
    task = DBTaskResult.objects.get()
    assert (str(task.pk), task.status) == (job.task_id, TaskResultStatus.READY)


def test_it_lists_the_reviews_asked_for(client, coordinator, someone_else):
    client.force_login(coordinator)
    client.post(URL, {"year": "2020", "fmt": "docx"})
    client.force_login(someone_else)
    client.post(URL, {"year": "2019", "fmt": "pdf"})
    client.force_login(coordinator)
    page = client.get(URL).content.decode()
    mine = Job.objects.get(requested_by=coordinator)
    theirs = Job.objects.get(requested_by=someone_else)
    assert f'href="/tac-vu/{mine.pk}/"' in page
    assert f'href="/tac-vu/{theirs.pk}/"' not in page


@pytest.mark.parametrize("data", [
    {"year": "1990", "fmt": "pdf"},
    {"year": str(date.today().year + 1), "fmt": "docx"},
    {"year": "hai nghìn", "fmt": "pdf"},
    {"year": "2020", "fmt": "xlsx"},
    {"year": "2020"},
    {},
])
def test_bad_input_is_told_and_queues_nothing(client, coordinator, data):
    client.force_login(coordinator)
    response = client.post(URL, data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_message_says_what_to_do(client, coordinator):
    client.force_login(coordinator)
    client.cookies["ketnoi_language"] = "en"
    coordinator.language = "en"
    coordinator.save(update_fields=["language"])
    page = client.post(URL, {"year": "2020", "fmt": "xlsx"}).content.decode()
    assert "Choose DOCX or PDF." in page


@pytest.mark.parametrize("role", [Role.LEADER, Role.OFFICER, Role.BUSINESS, Role.OPERATOR, Role.ADMIN, None])
def test_it_refuses_the_other_roles(client, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"year": "2020", "fmt": "pdf"}).status_code == 403
    assert not Job.objects.exists()


def test_it_asks_a_visitor_to_log_in(client):
    response = client.post(URL, {"year": "2020", "fmt": "pdf"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Job.objects.exists()


def test_it_rejects_other_methods(client, coordinator):
    client.force_login(coordinator)
    assert client.put(URL).status_code == 405
