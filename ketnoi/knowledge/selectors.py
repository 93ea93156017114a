"""Reads of the Q&A: search, similar questions, articles and documents."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from ketnoi.accounts.access import Principal
from ketnoi.lib.highlight import snippet

from . import access, search
from .models import Article, ArticleStatus, Citation, LegalDocument


@dataclass
class Result:
    article: Article
    score: float
    question: list[tuple[str, bool]]  # highlighted pieces
    answer: list[tuple[str, bool]]


@dataclass
class Results:
    total: int
    total_is_exact: bool
    results: list[Result]
    dropped: list[str]  # words of the query that were not searched ("thì sao", "ko")

    @property
    def empty(self) -> bool:
        return not self.results


def published() -> QuerySet[Article]:
    return Article.objects.filter(status=ArticleStatus.PUBLISHED)


def _matched_syllables(query) -> set[str]:
    return {syllable for term in query.terms for alternative in term.alternatives for syllable in alternative}


def article_search(*, text: str, topic_id: int | None = None, limit: int = 10, offset: int = 0) -> Results:
    page = search.search(text=text, topic_id=topic_id, limit=limit, offset=offset)
    articles = published().select_related("topic").in_bulk([hit.article_id for hit in page.hits])
    syllables = _matched_syllables(page.query)
    results = [
        Result(article=articles[hit.article_id], score=hit.score,
               question=snippet(articles[hit.article_id].question, syllables, width=300),
               answer=snippet(articles[hit.article_id].answer, syllables, width=260))
        for hit in page.hits if hit.article_id in articles
    ]
    return Results(total=page.total, total_is_exact=page.total_is_exact, results=results, dropped=page.query.dropped)


def similar_articles(*, text: str, limit: int = 5) -> list[tuple[Article, float]]:
    hits = search.similar(text=text, limit=limit)
    articles = published().select_related("topic").in_bulk([hit.article_id for hit in hits])
    return [(articles[hit.article_id], hit.score) for hit in hits if hit.article_id in articles]


def article_for(*, p: Principal, pk: int) -> Article | None:
    """A published article for anyone; drafts and withdrawn ones for coordinators only."""
    qs = Article.objects.select_related("topic", "source_case").prefetch_related(
        Prefetch("citations", queryset=Citation.objects.select_related("document", "document__replaced_by")))
    if not access.may_see_drafts(p):
        qs = qs.filter(status=ArticleStatus.PUBLISHED)
    return qs.filter(pk=pk).first()


def articles_needing_review() -> QuerySet[Article]:
    return (Article.objects.filter(needs_review=True).exclude(status=ArticleStatus.WITHDRAWN)
            .select_related("topic").order_by("updated_at"))


def articles_for_staff(*, status: str | None = None) -> QuerySet[Article]:
    qs = Article.objects.select_related("topic").order_by("-updated_at")
    return qs.filter(status=status) if status else qs


def documents(*, text: str = "", status: str | None = None) -> QuerySet[LegalDocument]:
    qs = LegalDocument.objects.annotate(
        cited_by=Count("citations", filter=Q(citations__article__status=ArticleStatus.PUBLISHED)))
    if text:
        qs = qs.filter(Q(number__icontains=text.strip()) | Q(title__icontains=text.strip()))
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("replaced_by").order_by("-issued_on", "number")


def document_for(*, pk: int) -> LegalDocument | None:
    return LegalDocument.objects.select_related("replaced_by").filter(pk=pk).first()


def citing_articles(*, document: LegalDocument) -> QuerySet[Article]:
    return published().filter(citations__document=document).select_related("topic").distinct()


def documents_by_number(numbers) -> dict[str, LegalDocument]:
    return {d.number: d for d in LegalDocument.objects.filter(number__in=set(numbers))}
