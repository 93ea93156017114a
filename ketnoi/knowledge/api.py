"""The knowledge API: search and read the public Q&A, similar questions, write articles, and the
registry of legal documents.

Searching, reading a published article, similar questions and the registry are public (no
token). Writing articles and documents is for department coordinators. Every endpoint is thin:
parse, check access, call one selector or service, answer. The services decide who may write
(403) and validate (400 whose `details` names the fields); malformed input is a 422.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import StringConstraints

from ketnoi.accounts.access import principal_for
from ketnoi.api import MAX_ID, optional_caller
from ketnoi.cases.api import ERRORS
from ketnoi.cases.models import Topic
from ketnoi.lib import citations

from . import access, selectors, services
from .models import Article, DocumentKind, DocumentStatus, LegalDocument

router = Router(tags=["knowledge"])

MAX_SEARCH_LIMIT = 50
MAX_SIMILAR_LIMIT = 20
MAX_DOCUMENTS_LIMIT = 200
# Far beyond what anyone pages through; keeps OFFSET (and the ids below) in the engines' range.
MAX_OFFSET = 10_000
Reference = Annotated[str, StringConstraints(max_length=200)]


# --- schemas -------------------------------------------------------------------------------

class Piece(Schema):
    text: str
    match: bool = Field(description="The piece matches a word of the query (show it highlighted).")


class Snippet(Schema):
    question: list[Piece]
    answer: list[Piece] = Field(description="The part of the answer with the most matched words, cut at words "
                                            "(“…” where it was cut).")


class SearchHitOut(Schema):
    id: int
    question: str
    answer: str
    topic: str = Field(description="Topic code (GET /api/v1/topics).", examples=["thue"])
    score: float = Field(description="Higher is better. The whole query as a phrase scores above every word of "
                                     "it, which scores above some of its words.")
    url: str = Field(description="The article's public page.", examples=["https://ketnoi.example.vn/hoi-dap/42/"])
    snippet: Snippet = Field(description="Question and answer cut into pieces, the matching ones marked.")


class SearchOut(Schema):
    total: int = Field(description="How many published articles match.")
    total_is_exact: bool = Field(description="False when the count stopped early: `total` then means “at least”.")
    not_searched: list[str] = Field(description="Words of the query that were not searched for (“thì sao”, “ko”).",
                                    examples=[["thì sao"]])
    results: list[SearchHitOut]


class SearchFilters(Schema):
    q: str = Field("", max_length=200, description="What the business typed; with or without diacritics, "
                                                   "trade abbreviations (NK, TK, C/O, GTGT …) understood.",
                   examples=["hoan thue nhap khau nguyen lieu"])
    topic: str | None = Field(None, max_length=100, description="Topic code to search in.")
    limit: int = Field(10, ge=1, le=MAX_SEARCH_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class SimilarHitOut(Schema):
    id: int
    question: str
    topic: str = Field(description="Topic code.")
    score: float
    url: str


class SimilarOut(Schema):
    results: list[SimilarHitOut]


class SimilarFilters(Schema):
    text: str = Field("", max_length=services.MAX_QUESTION,
                      description="The question being typed: a subject, a whole description.")
    limit: int = Field(5, ge=1, le=MAX_SIMILAR_LIMIT)


class ReferenceOut(Schema):
    number: str = Field(examples=["38/2015/TT-BTC"])
    name: str = Field(examples=["Thông tư 38/2015/TT-BTC"])
    as_written: str = Field(description="The citation as the article wrote it.")
    status: str = Field(description="in_force, amended, replaced or expired.")
    status_label: str
    replaced_by: str | None = Field(description="Number of the document that replaces it.")
    url: str = Field(description="The document's public page.")


class ArticleOut(Schema):
    id: int
    question: str
    answer: str
    topic: str = Field(description="Topic code.")
    topic_name: str
    status: str = Field(description="published, draft or withdrawn (only coordinators see the last two).")
    valid_from: date | None
    valid_to: date | None
    published_at: datetime | None
    needs_review: bool = Field(description="The answer cites a document no longer in force and is being reviewed.")
    review_reason: str
    legal_references: list[ReferenceOut]
    views: int
    helpful_yes: int
    helpful_no: int
    url: str


class ArticleIn(Schema):
    question: str = Field(examples=["Doanh nghiệp chế xuất nhập khẩu nguyên liệu có phải nộp thuế nhập khẩu không?"])
    answer: str
    topic: str = Field(max_length=100, description="Topic code (GET /api/v1/topics).", examples=["thue"])
    legal_references: list[Reference] = Field(
        [], description="The documents the answer relies on, as written. A number not yet in the registry is "
                        "added to it, marked for a coordinator to complete. Citations in the answer's text are "
                        "linked too.", examples=[["Thông tư 38/2015/TT-BTC", "Nghị định 134/2016/NĐ-CP"]])
    valid_from: date | None = None
    valid_to: date | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str = Field(examples=["38/2015/TT-BTC"])
    name: str = Field(examples=["Thông tư 38/2015/TT-BTC"])
    title: str
    issuer: str
    issued_on: date | None
    effective_on: date | None
    status: str = Field(description="in_force, amended, replaced or expired.")
    status_label: str
    replaced_by: str | None = Field(description="Number of the document that replaces it.")
    amended_by: list[str] = Field(description="Numbers of the documents that amend it.")
    needs_completion: bool = Field(description="Added from a citation: title, issuer or dates still to complete.")
    cited_by: int = Field(description="Published articles citing it.")
    url: str


class DocumentPageOut(Schema):
    total: int
    results: list[DocumentOut]


class DocumentFilters(Schema):
    q: str = Field("", max_length=200, description="Words of the number or the title.")
    status: Literal[tuple(DocumentStatus.values)] | None = None
    limit: int = Field(50, ge=1, le=MAX_DOCUMENTS_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class DocumentIn(Schema):
    number: str = Field(max_length=200, description="The number, with or without its kind.",
                        examples=["Thông tư 39/2018/TT-BTC"])
    kind: Literal[tuple(DocumentKind.values)] | None = Field(
        None, description="Read from the number when left out (TT: circular, NĐ: decree …).")
    title: str = Field("", max_length=500)
    issuer: str = Field("", max_length=200, examples=["Bộ Tài chính"])
    issued_on: date | None = None
    effective_on: date | None = None
    status: Literal[tuple(DocumentStatus.values)] = DocumentStatus.IN_FORCE
    replaced_by: str | None = Field(None, max_length=200, description="Number of the document that replaces it "
                                                                      "(required when `status` is replaced).")
    amended_by: list[Reference] | None = Field(None, max_length=services.MAX_REFERENCES,
                                               description="Numbers of the documents that amend it.")


# --- serialising ---------------------------------------------------------------------------

def _public_url(obj) -> str:
    """The page's address on the public site (KETNOI_BASE_URL, as in e-mails), whatever host the
    API was called on."""
    return settings.KETNOI_BASE_URL + obj.get_absolute_url()


def _pieces(pieces) -> list[dict]:
    return [{"text": text, "match": matched} for text, matched in pieces]


def _hit_out(result: selectors.Result) -> dict:
    article = result.article
    return {"id": article.pk, "question": article.question, "answer": article.answer, "topic": article.topic.code,
            "score": result.score, "url": _public_url(article),
            "snippet": {"question": _pieces(result.question), "answer": _pieces(result.answer)}}


def _reference_out(citation) -> dict:
    document = citation.document
    return {"number": document.number, "name": document.name, "as_written": citation.text,
            "status": document.status, "status_label": document.get_status_display(),
            "replaced_by": document.replaced_by.number if document.replaced_by_id else None,
            "url": _public_url(document)}


def _article_out(article: Article) -> dict:
    return {
        "id": article.pk, "question": article.question, "answer": article.answer,
        "topic": article.topic.code, "topic_name": article.topic.name, "status": article.status,
        "valid_from": article.valid_from, "valid_to": article.valid_to,
        "published_at": timezone.localtime(article.published_at) if article.published_at else None,
        "needs_review": article.needs_review, "review_reason": article.review_reason,
        "legal_references": [_reference_out(c) for c in article.citations.all()],
        "views": article.views, "helpful_yes": article.helpful_yes, "helpful_no": article.helpful_no,
        "url": _public_url(article),
    }


def _cited_by(document: LegalDocument) -> int:
    # selectors.documents counts them in its query; one document alone is counted here.
    counted = getattr(document, "cited_by", None)
    return selectors.citing_articles(document=document).count() if counted is None else counted


def _document_out(document: LegalDocument) -> dict:
    return {
        "id": document.pk, "kind": document.kind, "kind_label": document.get_kind_display(),
        "number": document.number, "name": document.name, "title": document.title, "issuer": document.issuer,
        "issued_on": document.issued_on, "effective_on": document.effective_on,
        "status": document.status, "status_label": document.get_status_display(),
        "replaced_by": document.replaced_by.number if document.replaced_by_id else None,
        "amended_by": sorted(d.number for d in document.amended_by.all()),
        "needs_completion": document.needs_completion,
        "cited_by": _cited_by(document),
        "url": _public_url(document),
    }


# --- parsing -------------------------------------------------------------------------------



def _topic_id(code: str | None) -> int | None:
    if code is None or not code.strip():
        return None
    topic = Topic.objects.filter(code=code.strip(), active=True).first()
    if topic is None:
        raise ValidationError({"topic": _("No topic has the code “%(code)s”. Use a code from GET /api/v1/topics.")
                               % {"code": code.strip()[:40]}})
    return topic.pk


def _registered(number: str, field: str) -> LegalDocument:
    parsed = citations.parse(number)
    document = selectors.documents_by_number([parsed.number]).get(parsed.number) if parsed else None
    if document is None:
        raise ValidationError({field: _("%(number)s is not in the registry: add it first.") % {"number": number[:80]}})
    return document


# --- endpoints -----------------------------------------------------------------------------

@router.get("/knowledge/search", auth=None, response={200: SearchOut, **ERRORS},
            summary="Search the published Q&A; public",
            description="Queries with or without diacritics find the same articles; the whole query as a phrase "
                        "ranks first, then articles with every word, then those with its rarest words (so a "
                        "query with an informal or extra word still finds the answer). `limit` 1–50, `offset` "
                        "for the next pages.")
def search(request, filters: Query[SearchFilters]):
    if not filters.q.strip():
        raise ValidationError({"q": _("Type what you are looking for, e.g. “hoàn thuế nhập khẩu”.")})
    found = selectors.article_search(text=filters.q, topic_id=_topic_id(filters.topic), limit=filters.limit,
                                     offset=filters.offset)
    return {"total": found.total, "total_is_exact": found.total_is_exact, "not_searched": found.dropped,
            "results": [_hit_out(result) for result in found.results]}


@router.get("/knowledge/similar", auth=None, response={200: SimilarOut, **ERRORS},
            summary="Published articles similar to a text; public",
            description="For a question being typed (call it when typing pauses): the articles that share its "
                        "rarest words, best first. An empty text gives no results.")
def similar(request, filters: Query[SimilarFilters]):
    if not filters.text.strip():
        return {"results": []}
    pairs = selectors.similar_articles(text=filters.text, limit=filters.limit)
    return {"results": [{"id": article.pk, "question": article.question, "topic": article.topic.code,
                         "score": score, "url": _public_url(article)} for article, score in pairs]}


@router.get("/knowledge/articles/{int:article_id}", auth=None, response={200: ArticleOut, **ERRORS},
            summary="One Q&A article; public when published",
            description="With a coordinator's token, drafts and withdrawn articles too; 404 otherwise.")
def article_detail(request, article_id: int):
    user = optional_caller(request)
    article = selectors.article_for(p=principal_for(user), pk=article_id) if article_id <= MAX_ID else None
    if article is None:
        raise Http404
    return _article_out(article)


@router.post("/knowledge/articles", response={201: ArticleOut, **ERRORS},
             summary="Publish a Q&A article (coordinators)",
             description="For imports and integrations: the article is published at once. `topic` is a topic "
                         "code; `legal_references` the documents' numbers as written (“Thông tư 38/2015/TT-BTC”). "
                         "An article citing a document no longer in force is published flagged “needs review”.")
def article_create(request, payload: ArticleIn):
    article = services.article_create(question=payload.question, answer=payload.answer, topic=payload.topic,
                                      legal_references=payload.legal_references, valid_from=payload.valid_from,
                                      valid_to=payload.valid_to, publish=True, by=request.auth)
    return Status(201, _article_out(selectors.article_for(p=principal_for(request.auth), pk=article.pk)))


@router.get("/legal-documents", auth=None, response={200: DocumentPageOut, **ERRORS},
            summary="The registry of legal documents; public",
            description="Newest first; filter by words of the number or title and by status.")
def documents(request, filters: Query[DocumentFilters]):
    qs = selectors.documents(text=filters.q, status=filters.status).prefetch_related("amended_by")
    page = qs[filters.offset:filters.offset + filters.limit]
    return {"total": qs.count(), "results": [_document_out(document) for document in page]}


@router.post("/legal-documents", response={201: DocumentOut, 200: DocumentOut, **ERRORS},
             summary="Add a legal document to the registry, or complete one (coordinators)",
             description="201 when the number is new. When the registry already has the number (for instance "
                         "added from a citation, `needs_completion`), that document is completed or corrected: "
                         "the fields sent replace its values, the others are kept (200). Marking a document "
                         "replaced or expired flags every published article that cites it for review.")
def document_save(request, payload: DocumentIn):
    # Checked before the look-ups below, so that a refusal does not depend on the input.
    if not access.may_manage_documents(principal_for(request.auth)):
        raise PermissionDenied
    parsed = citations.parse(payload.number)
    if parsed is None:
        raise ValidationError({"number": _("Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”.")})
    existing = selectors.documents_by_number([parsed.number]).get(parsed.number)
    given = payload.model_fields_set

    def value(field, current):
        return getattr(payload, field) if existing is None or field in given else current

    kind = value("kind", existing.kind if existing else None) or parsed.kind
    replaced_by = value("replaced_by", existing.replaced_by.number if existing and existing.replaced_by_id else None)
    amended_by = payload.amended_by if "amended_by" in given else None
    document = services.legal_document_save(
        document=existing, kind=kind, number=parsed.number,
        title=value("title", existing.title if existing else ""),
        issuer=value("issuer", existing.issuer if existing else ""),
        issued_on=value("issued_on", existing.issued_on if existing else None),
        effective_on=value("effective_on", existing.effective_on if existing else None),
        status=value("status", existing.status if existing else DocumentStatus.IN_FORCE),
        replaced_by=_registered(replaced_by, "replaced_by") if replaced_by else None,
        amended_by=[_registered(number, "amended_by") for number in amended_by or []] if amended_by is not None else None,
        by=request.auth,
    )
    return Status(200 if existing else 201, _document_out(selectors.document_for(pk=document.pk)))
