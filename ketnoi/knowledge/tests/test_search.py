"""Search and similar questions on the engine the suite runs on (SQLite FTS5 or PostgreSQL)."""

import pytest
from django.db import connection

from ketnoi.knowledge import search, selectors, services
from ketnoi.knowledge.models import Article
from ketnoi.testing import make_article, make_user

pytestmark = pytest.mark.django_db

REFUND = ("Hoàn thuế nhập khẩu nguyên liệu sản xuất xuất khẩu",
          "Công ty được hoàn thuế nhập khẩu đã nộp đối với nguyên liệu nhập khẩu để sản xuất hàng xuất khẩu.")
ORIGIN = ("Nộp bổ sung C/O mẫu E sau khi thông quan",
          "Người khai hải quan được nộp bổ sung bản chính chứng nhận xuất xứ trong thời hạn 1 năm.")
REGISTER = ("Đăng ký tờ khai hải quan điện tử qua VNACCS",
            "Doanh nghiệp đăng ký tài khoản và chữ ký số để khai báo trên hệ thống.")


@pytest.fixture
def coordinator():
    return make_user("coordinator")


@pytest.fixture
def articles(coordinator):
    return {name: make_article(question=q, answer=a, by=coordinator, topic=topic)
            for name, (q, a), topic in [("refund", REFUND, "thue"), ("origin", ORIGIN, "xuat-xu"),
                                        ("register", REGISTER, "cntt-vnaccs")]}


def ids(text, **kwargs):
    return [hit.article_id for hit in search.search(text=text, **kwargs).hits]


def test_it_finds_an_article_typed_with_or_without_diacritics(articles):
    assert ids("hoàn thuế")[0] == articles["refund"].pk
    assert ids("hoan thue")[0] == articles["refund"].pk
    assert ids("HOAN THUE nhap khau")[0] == articles["refund"].pk


def test_d_with_stroke_and_plain_d_find_the_same_articles(articles):
    assert ids("đăng ký") == ids("dang ky") == [articles["register"].pk]


def test_an_exact_phrase_ranks_above_scattered_words(coordinator):
    scattered = make_article(question="Thuế nhập khẩu máy móc", answer="Hồ sơ hoàn cho doanh nghiệp.", by=coordinator)
    phrase = make_article(question="Thủ tục hoàn thuế", answer="Hồ sơ đề nghị.", by=coordinator)
    found = search.search(text="hoàn thuế")
    assert [hit.article_id for hit in found.hits] == [phrase.pk, scattered.pk]
    assert found.hits[0].score > found.hits[1].score
    assert found.total == 2


def test_the_trades_abbreviations_find_the_words_they_stand_for(articles):
    assert articles["refund"].pk in ids("hoàn thuế NK")
    assert articles["origin"].pk in ids("C/O form E")


def test_informal_words_and_a_missing_word_do_not_lose_the_article(articles):
    found = search.search(text="hoan thue nguyen lieu sxxk thi sao")
    assert found.hits[0].article_id == articles["refund"].pk
    assert "thi sao" in " ".join(found.query.dropped)
    assert ids("nộp bổ sung C/O bản chụp được không")[0] == articles["origin"].pk


def test_the_topic_filter_keeps_the_topics_articles_only(articles):
    refund = articles["refund"]
    assert ids("thuế", topic_id=refund.topic_id) == [refund.pk]
    assert ids("thuế", topic_id=articles["origin"].topic_id) == []


def test_pages_follow_each_other_without_gaps_or_repeats(coordinator):
    made = [make_article(question=f"Thủ tục hải quan đối với lô hàng số {n}", answer="Khai hải quan.",
                         by=coordinator).pk for n in range(7)]
    first, second = search.search(text="thủ tục hải quan", limit=4), search.search(text="thủ tục hải quan", limit=4, offset=4)
    assert first.total == second.total == 7
    assert sorted([h.article_id for h in first.hits + second.hits]) == sorted(made)


def test_queries_that_look_like_syntax_are_harmless(articles):
    for text in ['"', "hoàn AND thuế OR", "NEAR(", "thuế*", "'; DROP TABLE knowledge_article; --", "!&|<->:*", "()", "😀"]:
        search.search(text=text)
    assert Article.objects.count() == 3


def test_nothing_is_found_for_nothing(articles):
    assert search.search(text="").hits == []
    assert search.search(text=" ?! ").total == 0


def test_a_draft_is_not_found_until_it_is_published(coordinator):
    draft = make_article(question="Tạm nhập tái xuất máy móc sửa chữa", publish=False, by=coordinator)
    assert ids("tái xuất") == []
    services.article_publish(article=draft, by=coordinator)
    assert ids("tái xuất") == [draft.pk]


def test_a_withdrawn_article_leaves_the_index_in_the_same_transaction(articles, coordinator):
    services.article_withdraw(article=articles["origin"], by=coordinator)
    assert ids("C/O") == []


def test_an_edited_article_is_found_by_its_new_words_only(articles, coordinator):
    refund = articles["refund"]
    services.article_update(article=refund, question="Miễn thuế hàng tạm nhập tái xuất",
                            answer="Hàng tạm nhập để tái xuất được miễn thuế.", topic="thue", by=coordinator)
    assert ids("miễn thuế tạm nhập") == [refund.pk]
    assert ids("nguyên liệu") == []


def test_counting_views_and_votes_keeps_the_article_searchable(articles):
    refund = articles["refund"]
    services.article_viewed(article=refund)
    services.article_vote(article=refund, helpful=True, voter="session-1")
    refund.refresh_from_db()
    assert (refund.views, refund.helpful_yes) == (1, 1)
    assert ids("hoàn thuế")[0] == refund.pk


@pytest.mark.sqlite
def test_the_fts5_index_holds_exactly_the_published_articles(articles, coordinator):
    make_article(question="Bản nháp", publish=False, by=coordinator)
    services.article_withdraw(article=articles["register"], by=coordinator)
    with connection.cursor() as cursor:
        # Rank 0: the index is checked on its own (the content table also holds unpublished rows).
        cursor.execute("INSERT INTO knowledge_article_fts(knowledge_article_fts, rank) VALUES ('integrity-check', 0)")
        cursor.execute("SELECT count(*) FROM knowledge_article_fts WHERE knowledge_article_fts MATCH 'thue OR xuat OR dang OR ban'")
        assert cursor.fetchone()[0] == 2


def test_similar_questions_share_the_rare_words_of_a_long_text(articles):
    text = ("Kính gửi Cục Hải quan. Công ty chúng tôi nhập khẩu nguyên liệu để sản xuất hàng xuất khẩu, "
            "nay muốn hỏi thủ tục hoàn thuế nhập khẩu đã nộp ạ. " * 20)
    found = selectors.similar_articles(text=text, limit=5)
    assert found[0][0].pk == articles["refund"].pk
    assert all(0 < score for _article, score in found)


def test_the_search_selector_returns_highlighted_snippets(articles):
    results = selectors.article_search(text="hoan thue")
    result = results.results[0]
    assert result.article.pk == articles["refund"].pk
    assert ("Hoàn thuế", True) in result.question


def test_a_word_is_found_as_soon_as_an_article_holding_it_is_published(coordinator):
    assert ids("quy trình niêm phong container") == []
    article = make_article(question="Niêm phong hàng chuyển cảng", answer="Công chức kiểm tra niêm phong.", by=coordinator)
    assert ids("quy trình niêm phong container") == [article.pk]


def test_a_phrase_of_common_syllables_is_found_through_its_indexed_pairs(coordinator):
    apart = make_article(question="Thủ tục đối với hàng của công ty", answer="Hải quan hướng dẫn.", by=coordinator)
    together = make_article(question="Công ty hỏi thủ tục hải quan", answer="Trả lời.", by=coordinator)
    assert together.search_pairs.startswith("cong_ty ty_hoi hoi_thu thu_tuc tuc_hai hai_quan")
    found = search.search(text="thu tuc hai quan")
    assert [hit.article_id for hit in found.hits] == [together.pk, apart.pk]
    assert [hit.tier for hit in found.hits] == [1, 2]


def _similar_read_whole(text, limit=5):
    """Similar questions as scored from every rare term's whole list (RARE_BUDGET each)."""
    from ketnoi.lib import vnquery

    query = vnquery.analyse(text)
    terms = search._unique(query.terms)
    _count, best, _complete = search._score_rare(search.rare_terms(terms), query, search._weights(terms), None,
                                                 exclude=set(), want=limit)
    return best


def test_similar_questions_of_a_common_word_stop_early_only_when_older_articles_cannot_rank_higher(
        coordinator, monkeypatch):
    monkeypatch.setattr(search, "SIMILAR_FIRST", 3)
    in_question = [make_article(question=f"Container lạnh số {n}", answer="Kiểm tra thực tế.", by=coordinator)
                   for n in range(4)]
    in_answer = [make_article(question=f"Hàng lạnh số {n}", answer="Đóng trong container.", by=coordinator)
                 for n in range(3)]
    # The 3 newest hold the word in the answer only: the older ones, in the question, rank higher.
    assert search.similar(text="container", limit=2) == _similar_read_whole("container", limit=2)
    assert [hit.article_id for hit in search.similar(text="container", limit=2)] == [
        in_question[3].pk, in_question[2].pk]
    newer = [make_article(question=f"Container khô số {n}", answer="Soi chiếu.", by=coordinator) for n in range(3)]
    # Now the 3 newest score the most there is: the older ones need not be read.
    assert search.similar(text="container", limit=2) == _similar_read_whole("container", limit=2)
    assert [hit.article_id for hit in search.similar(text="container", limit=2)] == [newer[2].pk, newer[1].pk]
    assert len(in_answer) == 3


def test_the_rare_tiers_signals_are_those_of_the_plain_queries(coordinator):
    for n in range(6):
        make_article(question=f"Hoàn thuế nguyên liệu lô {n}" if n % 2 else f"Nguyên liệu lô {n}",
                     answer="Hồ sơ hoàn thuế nguyên liệu nhập khẩu." if n % 3 else "Hồ sơ thuế nhập khẩu.",
                     by=coordinator)
    from ketnoi.lib import vnquery

    query = vnquery.analyse("hoàn thuế nguyên liệu")
    rare = search._unique(query.terms)
    pairs = search._adjacent_pairs(query)
    lists, in_question, adjacent = search._rare_lists(rare, pairs, None, signals=True, budget=search.RARE_BUDGET)
    read = {pk for ids in lists for pk in ids}
    assert lists == [search._articles(search._match("all", [term]), None) for term in rare]
    for term, ids in zip(rare, lists):
        plain = set(search._articles(search._in_question(search._match("all", [term])), None))
        assert in_question[search._key(term)] & set(ids) == plain & set(ids)
        assert in_question[search._key(term)]
    for pair, found in zip(pairs, adjacent):
        assert found & read == set(search._articles(search._pair_match(*pair), None)) & read
    assert any(adjacent)


def test_the_newest_matches_are_the_same_whichever_way_they_are_read(coordinator):
    for n in range(8):
        make_article(question=f"Thủ tục lô {n}", answer="Hồ sơ thuế." if n % 3 else "Hồ sơ hải quan.", by=coordinator)
    from ketnoi.lib import vnquery

    match = search._match("all", vnquery.analyse("thuế").terms)
    plain = search._articles(match, None, 3)
    assert len(plain) == 3
    # A term said rare (every match from the index, then the newest) or common (a walk from the newest).
    assert search._articles(match, None, 3, holders=1) == plain
    assert search._articles(match, None, 3, holders=10**9) == plain
    assert "id + 0" in search._newest(3, holders=1) and "id + 0" not in search._newest(3, holders=10**9)
