"""A job's page shows its progress and refreshes itself (an HTTP Refresh header, no script) until
the work is done, then the download link, or a clear message when it failed. Only who asked
(and the administrators) see it: anyone else gets a 404, job ids cannot be probed."""

import pytest

from ketnoi.accounts.models import Role
from ketnoi.background import services
from ketnoi.background.models import Job
from ketnoi.testing import make_user

from .conftest import BUG, RENDER

pytestmark = pytest.mark.django_db


def url(job):
    return f"/tac-vu/{job.pk}/"


def download_url(job):
    return f"/tac-vu/{job.pk}/tai-ve/"


@pytest.fixture
def queued(coordinator):
    return services.job_request(kind=RENDER, params={"title": "Tổng kết"}, by=coordinator)


@pytest.fixture
def done(queued):
    # The task's body, as the worker calls it (the worker itself: test_run_job.py).
    services.job_run(job_id=queued.pk)
    queued.refresh_from_db()
    return queued


def test_it_shows_a_queued_job_and_refreshes_itself(client, coordinator, queued):
    client.force_login(coordinator)
    response = client.get(url(queued))
    assert response.status_code == 200
    assert response["Refresh"] == "2"
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert '<progress id="job-progress" max="100" value="0">' in page
    assert "<script" not in page.split('<main id="main"')[1]


def test_it_shows_the_progress_and_the_step_of_a_running_job(client, coordinator, queued):
    Job.objects.filter(pk=queued.pk).update(state=Job.State.RUNNING, progress_done=1, progress_total=4,
                                            step="Đối thoại doanh nghiệp")
    client.force_login(coordinator)
    response = client.get(url(queued))
    page = response.content.decode()
    assert response["Refresh"] == "2"
    assert 'value="25"' in page
    assert "Đối thoại doanh nghiệp" in page


def test_it_offers_the_download_when_done(client, coordinator, done):
    client.force_login(coordinator)
    response = client.get(url(done))
    assert "Refresh" not in response
    assert f'href="{download_url(done)}"' in response.content.decode()


def test_it_says_clearly_that_the_work_failed(client, coordinator):
    job = services.job_request(kind=BUG, params={}, by=coordinator)
    with pytest.raises(ValueError):
        services.job_run(job_id=job.pk)
    job.refresh_from_db()
    client.force_login(coordinator)
    response = client.get(url(job))
    page = response.content.decode()
    assert "Refresh" not in response
    assert 'role="alert"' in page and job.error in page
    assert "ValueError" not in page and "Traceback" not in page


def test_the_requester_downloads_the_result(client, coordinator, done):
    client.force_login(coordinator)
    response = client.get(download_url(done))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "Tổng kết: 1.234 vướng mắc đã tiếp nhận"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-thu.txt"'
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"


def test_an_administrator_may_open_and_download_it(client, administrator, done):
    client.force_login(administrator)
    assert client.get(url(done)).status_code == 200
    assert client.get(download_url(done)).status_code == 200


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTY_OFFICE, Role.LEADER, Role.OFFICER, Role.BUSINESS])
def test_anyone_else_gets_a_404(client, done, role):
    client.force_login(make_user(role))
    assert client.get(url(done)).status_code == 404
    assert client.get(download_url(done)).status_code == 404


def test_it_asks_a_visitor_to_log_in(client, done):
    for address in (url(done), download_url(done)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_there_is_nothing_to_download_before_it_is_done(client, coordinator, queued):
    client.force_login(coordinator)
    assert client.get(download_url(queued)).status_code == 404


def test_an_unknown_job_is_a_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get("/tac-vu/999999/").status_code == 404


def test_it_rejects_post(client, coordinator, done):
    client.force_login(coordinator)
    assert client.post(url(done)).status_code == 405
    assert client.post(download_url(done)).status_code == 405
