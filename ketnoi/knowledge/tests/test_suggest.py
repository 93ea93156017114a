"""Topic suggestion: trained on resolved cases (filed, answered and accepted through the cases
services), measured on the newest of them, and used for new text."""

import importlib
import json
import sys
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.utils import translation
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ketnoi.__main__ import main
from ketnoi.accounts.models import Role
from ketnoi.cases import services as cases
from ketnoi.cases.models import Case, Topic
from ketnoi.knowledge.models import TopicModel
from ketnoi.knowledge.suggest import Suggestion, topic_model_train, topic_suggest
from ketnoi.lib import topicmodel
from ketnoi.lib.workdays import TIMEZONE
from ketnoi.testing import make_case, make_enterprise, make_unit, make_user


@pytest.fixture(autouse=True)
def english():
    """The messages below are checked in English (the default language is Vietnamese)."""
    with translation.override("en"):
        yield

seed_topics = importlib.import_module("ketnoi.cases.migrations.0002_topics_and_deadlines").seed

GOODS = ["máy phay CNC", "hạt nhựa PP", "vải dệt thoi", "pin sạc lithium", "sữa bột", "táo tươi",
         "giày thể thao", "thép cán nguội", "bo mạch in", "khẩu trang y tế"]
# (subject, description) per topic, filled with the goods.
TEXTS = {
    "thue": ("Hoàn thuế nhập khẩu {goods}",
             "Công ty đã nộp thuế nhập khẩu lô {goods} nhưng hàng phải tái xuất. Đề nghị hướng dẫn hồ sơ "
             "hoàn thuế và thời hạn giải quyết hoàn thuế."),
    "xuat-xu": ("C/O mẫu E cho lô {goods}",
                "Lô {goods} có giấy chứng nhận xuất xứ C/O mẫu E cấp sau. Xin hỏi C/O có được chấp nhận để "
                "hưởng thuế suất ưu đãi đặc biệt theo ACFTA không."),
    "phan-loai-hs": ("Phân loại mã HS {goods}",
                     "Công ty khai mã HS cho {goods} nhưng kết quả phân tích phân loại khác. Đề nghị hướng dẫn "
                     "phân loại và áp mã HS đúng."),
}


@pytest.fixture(autouse=True)
def no_cached_model(monkeypatch):
    # Each test starts as a fresh process would: no parameters loaded yet.
    monkeypatch.setattr("ketnoi.knowledge.suggest._loaded", None)


@pytest.fixture
def w(db):
    seed_topics(apps, None)
    unit = make_unit()
    enterprise = make_enterprise(home_unit=unit)
    return type("World", (), {
        "unit": unit, "enterprise": enterprise,
        "business": make_user(Role.BUSINESS, enterprise=enterprise),
        "leader": make_user(Role.LEADER, unit=unit),
    })


def at(day: int) -> datetime:
    return datetime(2025, 1, 6, 9, tzinfo=TIMEZONE) + timedelta(days=day)


def file(w, topic: str, n: int, received_at: datetime) -> Case:
    subject, description = TEXTS[topic]
    goods = GOODS[n % len(GOODS)]
    return make_case(enterprise=w.enterprise, by=w.business, topic=topic, unit=w.unit,
                     subject=subject.format(goods=goods), description=description.format(goods=goods),
                     received_at=received_at)


def resolve(w, case: Case) -> Case:
    case = cases.case_answer(case=case, body="Cục Hải quan trả lời Công ty như sau: ...", by=w.leader)
    return cases.case_accept(case=case, by=w.business)


def resolved(w, topics: list[str], per_topic: int, start: int = 0) -> list[Case]:
    """``per_topic`` resolved cases of each topic, received one a day from day ``start``, topics interleaved."""
    made = []
    for n in range(per_topic):
        for topic in topics:
            made.append(resolve(w, file(w, topic, n, at(start + len(made)))))
    return made


def test_it_trains_on_every_resolved_case_and_becomes_the_model_in_use(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    model = topic_model_train()
    assert model.cases_used == 60
    assert TopicModel.objects.order_by("-trained_at", "-id").first() == model
    assert model.parameters["labels"] == ["phan-loai-hs", "thue", "xuat-xu"]
    assert sum(model.parameters["documents"]) == 60
    assert len(json.dumps(model.parameters)) < 2_000_000


def test_it_measures_on_the_newest_cases_after_training_on_the_older(w):
    # The 12 newest cases (by date received) are tax cases filed first: a split by row order
    # would test on origin and HS cases instead.
    for n in range(12):
        resolve(w, file(w, "thue", n, at(100 + n)))
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=16)
    model = topic_model_train(holdout=0.2)
    evaluation = model.evaluation
    assert evaluation["method"] == "time-ordered holdout"
    assert (evaluation["train_cases"], evaluation["test_cases"]) == (48, 12)
    tested = {row["topic"]: row["cases"] for row in evaluation["per_topic"]}
    assert tested == {"thue": 12}
    assert model.accuracy == evaluation["top1"] == 1.0
    assert evaluation["top3"] == 1.0
    assert evaluation["per_topic"][0]["recall"] == 1.0


def test_it_counts_a_topic_it_could_not_have_learned_as_wrong(w):
    resolved(w, ["thue", "xuat-xu"], per_topic=24)
    for n in range(12):  # the newest: a topic no training case had
        resolve(w, file(w, "phan-loai-hs", n, at(200 + n)))
    model = topic_model_train()
    assert model.evaluation["test_cases"] == 12
    assert model.accuracy == 0.0
    row = next(row for row in model.evaluation["per_topic"] if row["topic"] == "phan-loai-hs")
    assert (row["cases"], row["correct"], row["recall"]) == (12, 0, 0.0)


def test_it_skips_the_measurement_when_asked(w):
    resolved(w, ["thue", "xuat-xu"], per_topic=25)
    model = topic_model_train(holdout=0)
    assert model.accuracy is None
    assert "top1" not in model.evaluation
    assert model.cases_used == 50


def test_it_refuses_with_too_few_resolved_cases(w):
    resolved(w, ["thue", "xuat-xu"], per_topic=20)
    for n in range(15):  # open cases are not learned from
        file(w, "thue", n, at(100 + n))
    with pytest.raises(ValueError, match="at least 50 resolved cases.*there are 40 resolved cases of 2 topics"):
        topic_model_train()
    assert not TopicModel.objects.exists()


def test_it_refuses_with_a_single_topic(w):
    resolved(w, ["thue"], per_topic=50)
    with pytest.raises(ValueError, match="at least 2 topics"):
        topic_model_train()
    assert not TopicModel.objects.exists()


def test_it_refuses_a_holdout_of_everything(w):
    with pytest.raises(ValueError, match="less than 1"):
        topic_model_train(holdout=1)


def test_it_does_not_learn_from_topics_no_longer_in_use(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=25)
    Topic.objects.filter(code="phan-loai-hs").update(active=False)
    model = topic_model_train()
    assert model.cases_used == 50
    assert "phan-loai-hs" not in model.parameters["labels"]


def test_it_suggests_topics_best_first_with_the_words_that_point_to_them(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    topic_model_train()
    suggestions = topic_suggest(text="Xin hướng dẫn hồ sơ hoàn thuế nhập khẩu đã nộp")
    assert all(isinstance(s, Suggestion) for s in suggestions)
    assert [s.topic.code for s in suggestions][0] == "thue"
    assert len(suggestions) == 3
    assert suggestions[0].probability >= suggestions[1].probability >= suggestions[2].probability
    assert sum(s.probability for s in suggestions) <= 1 + 1e-9
    assert "hoàn thuế" in suggestions[0].words
    assert topic_suggest(text="c/o mau e xuat xu", k=1)[0].topic.code == "xuat-xu"
    assert len(topic_suggest(text="c/o mau e xuat xu", k=2)) == 2


def test_it_suggests_nothing_before_a_model_is_trained(w):
    assert topic_suggest(text="Hoàn thuế nhập khẩu") == []


def test_it_suggests_nothing_for_a_text_with_nothing_to_go_on(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    topic_model_train()
    assert topic_suggest(text="") == []
    assert topic_suggest(text="  \n ") == []
    assert topic_suggest(text="0301234567 / 104567891230") == []


def test_it_leaves_out_a_topic_retired_since_training(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    topic_model_train()
    Topic.objects.filter(code="thue").update(active=False)
    suggestions = topic_suggest(text="hoàn thuế nhập khẩu")
    assert "thue" not in [s.topic.code for s in suggestions]
    assert len(suggestions) == 2  # the model knows three topics, one is retired


def test_it_reads_the_model_once_and_picks_up_a_newer_one(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    topic_model_train()
    text = "Đề nghị hướng dẫn hoàn thuế"
    assert topic_suggest(text=text)[0].topic.code == "thue"
    with CaptureQueriesContext(connection) as queries:
        assert topic_suggest(text=text)[0].topic.code == "thue"
    assert not any('"parameters"' in query["sql"] for query in queries.captured_queries)
    # A newer model that learned "hoàn thuế" from origin cases: the next suggestion follows it.
    TopicModel.objects.create(cases_used=6, parameters=topicmodel.train(
        [("hoàn thuế C/O mẫu E", "xuat-xu")] * 3 + [("phân loại mã HS", "phan-loai-hs")] * 3))
    assert topic_suggest(text=text)[0].topic.code == "xuat-xu"


def test_the_command_trains_and_prints_what_it_measured(w):
    resolved(w, ["thue", "xuat-xu", "phan-loai-hs"], per_topic=20)
    out = StringIO()
    call_command("train_topics", "--no-progress", stdout=out)
    printed = out.getvalue()
    assert "60 resolved cases" in printed
    assert "top-1 100.0 %" in printed and "top-3 100.0 %" in printed
    assert "thue (Tax, exemption and refund)" in printed
    assert TopicModel.objects.count() == 1


def test_the_command_says_why_it_refuses(w):
    resolved(w, ["thue", "xuat-xu"], per_topic=3)
    with pytest.raises(CommandError, match="there are 6 resolved cases"):
        call_command("train_topics", "--no-progress", stdout=StringIO())


def test_the_command_can_be_typed_with_a_hyphen(monkeypatch):
    # Running it for real would close the test's database connection: check what Django is given.
    given = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", given.append)
    monkeypatch.setattr(sys, "argv", ["ketnoi", "train-topics", "--no-progress"])
    main()
    monkeypatch.setattr(sys, "argv", ["ketnoi", "--version"])
    main()
    assert given == [["ketnoi", "train_topics", "--no-progress"], ["ketnoi", "--version"]]
