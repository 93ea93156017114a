"""A business raises a difficulty on /cases/new/."""

import pytest
from django.core import mail

from ketnoi.cases.models import Attachment, Case, CaseEvent, Channel

from .page_helpers import EXE, PDF, docx, page_text, upload, world

pytestmark = pytest.mark.django_db
URL = "/cases/new/"


@pytest.fixture
def w():
    return world()


def form(w, **fields):
    data = {"topic": "thu-tuc", "subject": "Thủ tục nhập khẩu máy móc đã qua sử dụng",
            "description": "Doanh nghiệp cần hướng dẫn hồ sơ nhập khẩu dây chuyền đã qua sử dụng.",
            "declaration_numbers": "104512345670,\n104512345681", "hs_codes": "8471.30.20; 84713020",
            "unit": str(w.unit.pk)}
    data.update(fields)
    return data


def test_it_shows_the_form(client, w):
    client.force_login(w.business)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'name="attachments"' in html and " multiple" in html
    assert "02CI – Customs Branch Area I" in html and ">Not sure<" in html
    assert "Customs procedures" in html
    assert "js/cases.js" in html


def test_it_files_the_case_and_redirects_to_it(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.business)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, form(w, attachments=[upload()]))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    assert case.enterprise == w.enterprise and case.filed_by == w.business and case.channel == Channel.WEB
    assert case.unit == w.unit and case.named_unit == w.unit
    assert case.declaration_numbers == ["104512345670", "104512345681"]
    assert case.hs_codes == ["8471.30.20"]
    assert Attachment.objects.get().original_name == "to-khai.pdf"
    assert any(case.reference in m.subject + m.body for m in mail.outbox if w.business.email in m.to)


def test_the_message_shows_the_reference_and_the_deadline(client, w):
    client.force_login(w.business)
    response = client.post(URL, form(w), follow=True)
    case = Case.objects.get()
    notice = page_text(response)
    assert f"Its reference is {case.reference}" in notice
    from django.utils import timezone
    assert timezone.localtime(case.due_at).strftime("%d/%m/%Y %H:%M") in notice


def test_not_sure_leaves_the_unit_to_the_department(client, w):
    client.force_login(w.business)
    client.post(URL, form(w, unit=""))
    case = Case.objects.get()
    assert case.named_unit is None and case.unit is None


def test_it_refuses_a_bad_declaration_number_and_creates_nothing(client, w):
    client.force_login(w.business)
    response = client.post(URL, form(w, declaration_numbers="10451234"))
    assert response.status_code == 400
    assert "A customs declaration number has exactly 12 digits" in page_text(response)
    assert "10451234" in response.content.decode()  # what was typed is kept
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_it_refuses_a_bad_hs_code_in_vietnamese(client, w):
    w.business.language = "vi"
    w.business.save()
    client.force_login(w.business)
    response = client.post(URL, form(w, hs_codes="8471.30"))
    assert response.status_code == 400
    assert "Mã HS phải có 8 chữ số" in page_text(response)
    assert Case.objects.count() == 0


def test_it_refuses_an_empty_subject(client, w):
    client.force_login(w.business)
    response = client.post(URL, form(w, subject="  "))
    assert response.status_code == 400
    assert "Write a short subject" in page_text(response)
    assert 'class="error-summary"' in response.content.decode()
    assert Case.objects.count() == 0


def test_it_refuses_a_program_renamed_pdf(client, w):
    client.force_login(w.business)
    response = client.post(URL, form(w, attachments=[upload("hoa-don.pdf", EXE)]))
    assert response.status_code == 400
    assert "“hoa-don.pdf” is not a PDF, JPEG, PNG, XLSX or DOCX file" in page_text(response)
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_refuses_a_file_too_large(client, w, settings):
    settings.KETNOI_CASES = {"attachment_max_bytes": 1000}
    client.force_login(w.business)
    response = client.post(URL, form(w, attachments=[upload("lon.pdf", PDF + b"0" * 2000)]))
    assert response.status_code == 400
    assert "“lon.pdf” is larger than" in page_text(response)
    assert Case.objects.count() == 0 and Attachment.objects.count() == 0


def test_it_takes_several_files(client, w):
    client.force_login(w.business)
    client.post(URL, form(w, attachments=[upload(), upload("hop-dong.docx", docx(), "application/octet-stream")]))
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]


@pytest.mark.parametrize("who", ["officer", "coordinator", "operator"])
def test_it_refuses_staff_and_operators(client, w, who):
    client.force_login(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(w)).status_code == 403
    assert Case.objects.count() == 0


def test_it_sends_anonymous_visitors_to_log_in(client, w):
    response = client.post(URL, form(w))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert Case.objects.count() == 0


def test_the_similar_answers_fragment_is_empty_when_nothing_is_known(client, w):
    client.force_login(w.business)
    response = client.get("/cases/similar/", {"q": "hoàn thuế nhập khẩu"})
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_the_fragment_offers_published_answers_like_the_difficulty_being_typed(client, w):
    from ketnoi.testing import make_article

    article = make_article(question="Hồ sơ hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu", topic="thue")
    make_article(question="Đăng ký tài khoản VNACCS", answer="Doanh nghiệp đăng ký chữ ký số.", topic="cntt-vnaccs")
    client.force_login(w.business)
    html = client.get("/cases/similar/", {"q": "hoan thue nhap khau", "d": "nguyên liệu sản xuất"}).content.decode()
    assert f'href="/hoi-dap/{article.pk}/"' in html
    assert "VNACCS" not in html


def test_the_fragment_suggests_the_topic_the_model_learned(client, w):
    from ketnoi.knowledge.models import TopicModel
    from ketnoi.lib import topicmodel

    examples = [("Hoàn thuế nhập khẩu nguyên liệu đã nộp", "thue"), ("Miễn thuế hàng tạm nhập", "thue"),
                ("Phân loại mã HS máy in", "phan-loai-hs"), ("Mã HS của linh kiện điện tử", "phan-loai-hs")] * 5
    TopicModel.objects.create(cases_used=len(examples), parameters=topicmodel.train(examples, min_df=1))
    client.force_login(w.business)
    html = client.get("/cases/similar/", {"q": "Xin hoàn thuế nhập khẩu"}).content.decode()
    assert 'data-topic="thue"' in html and "<strong>" in html


def test_the_home_page_offers_businesses_to_raise_a_difficulty(client, w):
    client.force_login(w.business)
    assert 'class="button" href="/cases/new/"' in client.get("/").content.decode()
    for user in (w.officer, w.operator):
        client.force_login(user)
        assert 'href="/cases/new/"' not in client.get("/").content.decode()
