"""Files of a case are served to those who may see the case, as downloads, with the type read
from their content; internal files to staff only."""

import pytest

from ketnoi.cases import services
from ketnoi.cases.models import Attachment

from .page_helpers import PDF, PNG, upload, world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


@pytest.fixture
def case(w):
    # The browser claimed a PDF, but the bytes are a PNG: the type comes from the content.
    return w.case(attachments=[upload("ảnh chụp tờ khai.pdf", PNG, "application/pdf")])


def url(case, attachment):
    return f"/cases/{case.reference}/files/{attachment.pk}/"


def test_the_business_downloads_its_file(client, w, case):
    attachment = Attachment.objects.get()
    client.force_login(w.business)
    response = client.get(url(case, attachment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    # The saved file gets the extension of what it really is.
    assert response["Content-Disposition"].endswith("%E1%BA%A3nh%20ch%E1%BB%A5p%20t%E1%BB%9D%20khai.png")


@pytest.mark.parametrize("who", ["officer", "leader", "coordinator"])
def test_staff_who_see_the_case_download_it(client, w, case, who):
    client.force_login(getattr(w, who))
    assert client.get(url(case, Attachment.objects.get())).status_code == 200


@pytest.mark.parametrize("who", ["other_business", "other_officer"])
def test_it_is_404_to_those_who_may_not_see_the_case(client, w, case, who):
    client.force_login(getattr(w, who))
    assert client.get(url(case, Attachment.objects.get())).status_code == 404


def test_a_file_of_another_case_is_404_through_this_case(client, w, case):
    other = w.case(attachments=[upload("khac.pdf", PDF)])
    theirs = Attachment.objects.get(case=other)
    client.force_login(w.business)
    assert client.get(url(case, theirs)).status_code == 404
    assert client.get(f"/cases/{case.reference}/files/999999/").status_code == 404


def test_a_file_of_an_internal_note_is_for_staff_only(client, w, case):
    services.case_message(case=case, body="Biên bản làm việc nội bộ.", internal=True, by=w.officer,
                          attachments=[upload("bien-ban-noi-bo.pdf", PDF)])
    internal = Attachment.objects.get(public=False)
    client.force_login(w.business)
    assert client.get(url(case, internal)).status_code == 404
    client.force_login(w.officer)
    response = client.get(url(case, internal))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_anonymous_visitors_are_sent_to_log_in(client, case):
    response = client.get(url(case, Attachment.objects.get()))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_case_page_links_to_the_file(client, w, case):
    client.force_login(w.business)
    html = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'href="{url(case, Attachment.objects.get())}"' in html
    assert "ảnh chụp tờ khai.pdf" in html
