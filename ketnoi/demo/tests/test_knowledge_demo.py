"""The demo's Q&A: the registry and the hand-written articles of ketnoi/demo/data, loaded through
the knowledge services, once."""

import json
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from ketnoi.accounts.models import User
from ketnoi.audit.models import AuditEvent
from ketnoi.cases.models import Topic
from ketnoi.demo.knowledge import DATA, KnowledgeBuilder
from ketnoi.knowledge import search
from ketnoi.knowledge.models import STALE_STATUSES, Article, ArticleStatus, Citation, LegalDocument
from ketnoi.lib import citations
from ketnoi.testing import make_user

pytestmark = pytest.mark.django_db


def rows(pattern: str) -> list[dict]:
    found = []
    for path in sorted(DATA.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:
                pass  # a line being written
    return found


@pytest.fixture
def coordinator():
    return make_user("coordinator", username="coordinator")


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo's Q&A, loaded once for the class and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield KnowledgeBuilder(by=make_user("coordinator", username="coordinator")).build()
        transaction.set_rollback(True)


def counts():
    return (LegalDocument.objects.count(), Article.objects.count(), Citation.objects.count(),
            AuditEvent.objects.count())


class TestTheDemoQA:
    def test_it_loads_every_document_of_the_registry(self, loaded):
        registry = rows("legal_documents.jsonl")
        assert registry
        numbers = {citations.canonical(row["number"]) for row in registry}
        assert numbers <= set(LegalDocument.objects.values_list("number", flat=True))
        assert loaded.documents >= len(numbers)

    def test_it_links_replaced_and_amended_documents(self, loaded):
        for row in rows("legal_documents.jsonl"):
            document = LegalDocument.objects.get(number=citations.canonical(row["number"]))
            if row.get("replaced_by"):
                assert document.status == "replaced"
                assert document.replaced_by.number == citations.canonical(row["replaced_by"])
            elif row["status"] in ("replaced", "expired"):
                assert document.status in STALE_STATUSES  # replaced by a document not in the registry
            else:
                assert document.status == row["status"], document.number
            assert sorted(document.amended_by.values_list("number", flat=True)) == \
                sorted(citations.canonical(n) for n in row.get("amended_by") or [])
            assert document.title == row["title"] and not document.needs_completion

    def test_it_publishes_every_article_with_a_topic_and_a_citation_of_the_registry(self, loaded):
        articles = rows("knowledge_*.jsonl")
        assert articles
        assert loaded.articles == Article.objects.count() == len({a["question"] for a in articles})
        assert not loaded.skipped
        registry = {citations.canonical(row["number"]) for row in rows("legal_documents.jsonl")}
        active_topics = set(Topic.objects.filter(active=True).values_list("pk", flat=True))
        for article in Article.objects.prefetch_related("citations__document"):
            assert article.status == ArticleStatus.PUBLISHED
            assert article.topic_id in active_topics
            cited = {c.document.number for c in article.citations.all()}
            assert cited & registry, article.question[:60]

    def test_articles_are_published_after_the_question_was_asked_and_have_been_read(self, loaded):
        asked = {a["question"]: a["asked_on"] for a in rows("knowledge_*.jsonl")}
        for article in Article.objects.all():
            published = timezone.localdate(article.published_at)
            assert published.isoformat() > asked[article.question]
            assert published.weekday() < 5
            assert article.views > 0 and article.helpful_yes <= article.views
        assert Article.objects.filter(helpful_yes__gt=0).exists()

    def test_articles_citing_a_document_no_longer_in_force_are_flagged(self, loaded):
        stale = Article.objects.filter(citations__document__status__in=STALE_STATUSES).distinct()
        assert stale.exists()  # the demo shows the review queue
        assert all(article.needs_review and article.review_reason for article in stale)
        fresh = Article.objects.exclude(pk__in=stale)
        assert fresh.exists() and not fresh.filter(needs_review=True).exists()

    def test_every_article_is_in_the_search_index(self, loaded):
        # Written through the services, so the index followed each article in its transaction.
        sample = Article.objects.order_by("pk")[::10]  # each search of a whole question takes ~30 ms
        missed = [article.pk for article in sample
                  if article.pk not in [hit.article_id for hit in search.search(text=article.question, limit=10).hits]]
        assert missed == []

    def test_running_it_again_adds_nothing(self, loaded):
        before = counts()
        again = KnowledgeBuilder(by=User.objects.get(username="coordinator")).build()
        assert (again.documents, again.articles) == (0, 0)
        assert counts() == before


def test_it_loads_whatever_lines_exist(coordinator, tmp_path):
    """The writers add lines while the demo runs: a half-written last line is skipped, the rest load;
    the next run adds the lines written since."""
    shutil.copy(DATA / "legal_documents.jsonl", tmp_path)
    lines = (DATA / "knowledge_1.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    (tmp_path / "knowledge_1.jsonl").write_text("\n".join(lines[:2] + [lines[2][:40]]), encoding="utf-8")
    first = KnowledgeBuilder(by=coordinator, data=tmp_path).build()
    assert first.articles == 2 and len(first.skipped) == 1
    (tmp_path / "knowledge_1.jsonl").write_text("\n".join(lines), encoding="utf-8")
    second = KnowledgeBuilder(by=coordinator, data=tmp_path).build()
    assert (second.documents, second.articles, second.skipped) == (0, 1, [])


def test_ketnoi_demo_loads_the_q_and_a_after_the_cases(monkeypatch):
    monkeypatch.setenv("KETNOI_DEMO_PASSWORD", "Cà-phê-sáng-2020")
    out = StringIO()
    call_command("demo", officers=40, enterprises=60, cases=10, no_progress=True, stdout=out, stderr=StringIO())
    output = out.getvalue()
    assert output.index("new cases:") < output.index("new Q&A articles:")
    assert f"new Q&A articles: {Article.objects.count()}," in output
    assert Article.objects.filter(published_by__username="coordinator").count() == Article.objects.count() > 0
