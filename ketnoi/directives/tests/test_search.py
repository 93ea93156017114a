"""selectors.search: the platform's Vietnamese search over directives (number, title, text) — with
or without diacritics, by number, phrase first, the trade's abbreviations, within what the reader
may see, and kept in step with edits by the engine's own index (SQLite FTS5 triggers, PostgreSQL
generated tsvector). Runs on whichever engine DATABASE_URL names."""

from datetime import date

import pytest
from django.db import connection

from ketnoi.accounts.access import principal_for
from ketnoi.directives import access, selectors
from ketnoi.directives.models import Directive

from .service_helpers import clock, issue, w  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def d(w):
    """Five directives of the epidemic; the last sent to the second branch only."""
    return {
        "masks": issue(w, number="125/HQHCM-VP", title="Về việc tăng cường phòng, chống dịch COVID-19 tại trụ sở",
                       body="Đo thân nhiệt, khử khuẩn trụ sở hai lần mỗi ngày; cán bộ đeo khẩu trang khi tiếp xúc "
                            "người khai hải quan."),
        "clearance": issue(w, number="126/HQHCM-GSQL", title="Về việc thông quan nhanh hàng hóa phòng, chống dịch",
                           body="Ưu tiên làm thủ tục hải quan cho khẩu trang, vật tư y tế, nguyên liệu sản xuất "
                                "của doanh nghiệp trong khu chế xuất."),
        "scattered": issue(w, number="1250/HQHCM-VP", title="Về việc bố trí trực tại các đội thủ tục",
                           body="Thủ tục trực ban: mỗi đội thủ tục bố trí hai cán bộ. Thủ tục bàn giao ca trực "
                                "do đội trưởng ký. Cán bộ thuộc Chi cục Hải quan khu vực I trực ngày lễ; "
                                "lãnh đạo Chi cục Hải quan kiểm tra việc trực."),
        "exports": issue(w, number="127/HQHCM-NV", title="Về việc giám sát hàng nông sản xuất khẩu",
                         body="Tăng cường giám sát hàng thanh long, chuối xuất khẩu qua cửa khẩu đường bộ."),
        "quarantine": issue(w, number="128/HQHCM-TCCB", title="Về việc cách ly cán bộ đi từ vùng dịch",
                            body="Cán bộ trở về từ vùng dịch tự cách ly tại nhà 14 ngày và báo cáo Phòng Tổ chức cán bộ.",
                            target="units", target_units=[w.branch2]),
    }


def found(text, qs=None) -> list[str]:
    results, _query = selectors.search(text=text, qs=Directive.objects.all() if qs is None else qs)
    return [directive.number for directive in results]


def test_it_finds_words_with_their_diacritics(d):
    assert found("thân nhiệt") == ["125/HQHCM-VP"]
    assert found("khử khuẩn trụ sở")[0] == "125/HQHCM-VP"


def test_it_finds_words_typed_without_diacritics(d):
    assert found("than nhiet") == ["125/HQHCM-VP"]
    assert found("THAN NHIET") == ["125/HQHCM-VP"]
    assert found("khu khuan tru so")[0] == "125/HQHCM-VP"
    assert found("cach ly can bo")[0] == "128/HQHCM-TCCB"
    assert found("nong san xuat khau")[0] == "127/HQHCM-NV"


def test_then_come_the_directives_holding_some_of_the_words(d):
    # "trụ sở" alone: the one holding all the words first, then the others, never a directive without any.
    results = found("khử khuẩn trụ sở")
    assert results[0] == "125/HQHCM-VP"
    assert set(results[1:]) <= {"126/HQHCM-GSQL", "1250/HQHCM-VP", "127/HQHCM-NV", "128/HQHCM-TCCB"}
    assert "127/HQHCM-NV" not in results  # neither "khử", "khuẩn", "trụ" nor "sở"


def test_d_with_stroke_is_found_as_d(d):
    assert found("doi truong")[0] == "1250/HQHCM-VP"  # đội trưởng
    assert found("ĐỘI TRƯỞNG")[0] == "1250/HQHCM-VP"


@pytest.mark.parametrize("typed", ["125/HQHCM-VP", "125/hqhcm-vp", "125/HQHCM–VP", "125 HQHCM VP"])
def test_it_finds_a_directive_by_its_number_first(d, typed):
    results = found(typed)
    assert results[0] == "125/HQHCM-VP"
    assert "1250/HQHCM-VP" not in results[:1]


def test_a_number_alone_finds_that_number_not_a_longer_one(d):
    assert found("1250/HQHCM-VP")[0] == "1250/HQHCM-VP"
    assert found("128/HQHCM-TCCB") == ["128/HQHCM-TCCB", *found("128/HQHCM-TCCB")[1:]]


def test_the_phrase_comes_before_the_words_scattered(d):
    # "scattered" says thủ tục and hải quan many times, but never "thủ tục hải quan".
    results = found("thủ tục hải quan")
    assert results.index("126/HQHCM-GSQL") < results.index("1250/HQHCM-VP")
    assert results[0] == "126/HQHCM-GSQL"


def test_every_word_comes_before_some_of_them(d):
    results = found("khẩu trang vật tư y tế")
    assert results[0] == "126/HQHCM-GSQL"  # every word
    assert "125/HQHCM-VP" in results[1:]  # "khẩu trang" only


def test_abbreviations_of_the_trade_are_expanded(d):
    # "hải quan" is in three directives' text; "hq" in none (the numbers say "hqhcm").
    assert set(found("HQ")) == {"125/HQHCM-VP", "126/HQHCM-GSQL", "1250/HQHCM-VP"}
    assert set(found("thu tuc hq")[:2]) == {"126/HQHCM-GSQL", "1250/HQHCM-VP"}
    assert found("DN KCX")[0] == "126/HQHCM-GSQL"  # doanh nghiệp, khu chế xuất
    assert found("giám sát hàng XK")[0] == "127/HQHCM-NV"  # xuất khẩu


def test_filler_words_are_not_searched(d):
    assert found("cho em hỏi khử khuẩn trụ sở như thế nào ạ")[0] == "125/HQHCM-VP"


@pytest.mark.parametrize("typed", ["", "   ", "?!", "cho em hỏi", "ạ"])
def test_nothing_to_search_finds_nothing(d, typed):
    results, query = selectors.search(text=typed, qs=Directive.objects.all())
    assert results == [] and query.terms == []


def test_words_in_no_directive_find_nothing(d):
    assert found("xăng sầu riêng") == []  # "dầu" would fold to "dau", as "đầu" does


@pytest.mark.parametrize("typed", ["'; DROP TABLE directives_directive; --", '"', "NEAR(a b)", "a & b | !c", "hoàn*",
                                   "{search_pairs} : x", "col:term", "😀 中文", "\x00", "thuế " * 300])
def test_any_input_is_searched_without_error(d, typed):
    selectors.search(text=typed, qs=Directive.objects.all())
    assert Directive.objects.count() == 5


def test_it_gives_the_query_it_read(d):
    _results, query = selectors.search(text="cho em hỏi hàng XK", qs=Directive.objects.all())
    assert [t.text for t in query.terms] == ["hàng", "XK"] and query.dropped == ["cho em hỏi"]


# --- within what the reader may see -----------------------------------------------------------

def test_an_officer_finds_only_what_was_sent_to_the_unit(w, d):
    branch = access.visible_directives(principal_for(w.officer))
    other = access.visible_directives(principal_for(w.officer_b2))
    assert "128/HQHCM-TCCB" not in found("cách ly vùng dịch", branch)
    assert found("cách ly vùng dịch", other)[0] == "128/HQHCM-TCCB"
    assert found("cách ly", branch) == [] and found("cách ly", other) == ["128/HQHCM-TCCB"]
    assert "128/HQHCM-TCCB" not in found("cán bộ", branch)


def test_a_team_finds_its_branch_s_directives(w, d):
    assert found("than nhiet", access.visible_directives(principal_for(w.team_officer))) == ["125/HQHCM-VP"]


def test_a_coordinator_finds_everything(w, d):
    assert found("cách ly", access.visible_directives(principal_for(w.coordinator)))[0] == "128/HQHCM-TCCB"


def test_people_outside_customs_find_nothing(w, d):
    for user in (w.business, w.operator, w.party, w.admin, w.nobody):
        assert found("khẩu trang", access.visible_directives(principal_for(user))) == []


def test_the_queryset_given_narrows_the_results(d):
    qs = Directive.objects.filter(issued_at__date__lt=date(2026, 1, 1))
    assert found("khẩu trang", qs) == []
    assert found("khẩu trang", Directive.objects.filter(number__endswith="GSQL")) == ["126/HQHCM-GSQL"]


# --- the index follows the rows --------------------------------------------------------------

def test_an_edited_text_is_found_by_its_new_words_and_not_its_old(d):
    directive = d["exports"]
    directive.body = "Tạm dừng tiếp khách tại trụ sở; doanh nghiệp gửi hồ sơ qua dịch vụ công trực tuyến."
    directive.save()
    assert found("thanh long") == []
    assert found("dich vu cong truc tuyen")[0] == "127/HQHCM-NV"


def test_an_edited_title_and_number_are_found(d):
    directive = d["exports"]
    directive.number, directive.title = "999/HQHCM-NV", "Về việc giám sát hàng sầu riêng xuất khẩu"
    directive.save()
    assert found("sau rieng")[0] == "999/HQHCM-NV"
    assert found("999/HQHCM-NV")[0] == "999/HQHCM-NV"
    assert "127/HQHCM-NV" not in found("127/HQHCM-NV")


def test_a_new_version_is_found_beside_the_old(w, d):
    from .service_helpers import replace

    new = replace(w, d["masks"], number="129/HQHCM-VP", body=d["masks"].body + "\nTạm dừng tiếp khách tại trụ sở.")
    assert found("tiếp khách")[0] == new.number and "125/HQHCM-VP" not in found("tiếp khách")[:1]
    assert set(found("thân nhiệt")) == {"125/HQHCM-VP", "129/HQHCM-VP"}


def test_a_deleted_directive_is_no_longer_found(d):
    d["quarantine"].delete()
    assert found("cach ly") == []


def test_many_directives_with_the_same_words_are_all_found_best_first(w, d):
    for n in range(30):
        issue(w, number=f"{300 + n}/HQHCM-VP", title=f"Về việc phân công trực tuần {n}",
              body="Phân công lịch trực; các đơn vị báo cáo.")
    issue(w, number="400/HQHCM-VP", title="Về việc phân công trực", body="Phân công trực phân công trực phân công trực.")
    results = found("phân công trực")
    assert set(results[:31]) == {f"{300 + n}/HQHCM-VP" for n in range(30)} | {"400/HQHCM-VP"}
    assert results[31:] == ["1250/HQHCM-VP"]  # "trực" only


@pytest.mark.sqlite
def test_on_sqlite_the_index_is_the_fts5_table(d):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directives_directive_fts")
        assert cursor.fetchone()[0] == 5


@pytest.mark.postgresql
def test_on_postgresql_the_index_is_the_generated_column(d):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM directives_directive WHERE search_vector @@ 'khu_khuan'::tsquery")
        assert cursor.fetchone()[0] == 1


def test_directives_the_reader_cannot_see_do_not_crowd_out_those_they_can(w, monkeypatch):
    # Results are capped (SEARCH_LIMIT); the cap counts what the reader may see, not every match.
    monkeypatch.setattr(selectors, "SEARCH_LIMIT", 3)
    for n in range(5):
        issue(w, number=f"{200 + n}/HQHCM-VP", title="Về việc khẩu trang y tế", body="Khẩu trang khẩu trang khẩu trang.",
              target="units", target_units=[w.branch2])
    mine = issue(w, number="210/HQHCM-VP", title="Về việc cấp phát vật tư phòng dịch",
                 body="Cấp phát khẩu trang cho cán bộ Chi cục.", target="units", target_units=[w.branch])
    assert found("khẩu trang", access.visible_directives(principal_for(w.officer))) == [mine.number]
    assert len(found("khẩu trang")) == 3
