"""Writes to the Q&A and the legal-document registry. One transaction each, with an audit event;
the search index follows the article in the same transaction (migration 0002)."""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ketnoi.accounts.access import principal_for
from ketnoi.accounts.models import User
from ketnoi.audit.services import audit_record, snapshot
from ketnoi.cases.models import Answer, Case, Status, Topic
from ketnoi.lib import anonymise, citations

from . import access
from .models import Article, ArticleStatus, Citation, DocumentStatus, LegalDocument, Vote

MAX_QUESTION = 5_000
MAX_ANSWER = 20_000
MAX_REFERENCES = 30


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _text(value, field: str, *, required_message: str, max_length: int) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else None
    if value is None:
        raise ValidationError({field: _("Enter text.")})
    if not value:
        raise ValidationError({field: required_message})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": max_length}})
    return value


def _topic(topic) -> Topic:
    if isinstance(topic, Topic):
        return topic
    found = Topic.objects.filter(code=topic, active=True).first() if isinstance(topic, str) and topic else None
    if found is None:
        raise ValidationError({"topic": _("Choose one of the topics in the list.")})
    return found


def _dates(valid_from: date | None, valid_to: date | None) -> None:
    if valid_from and valid_to and valid_to < valid_from:
        raise ValidationError({"valid_to": _("The end of validity cannot be before its start.")})


# --- legal documents ---------------------------------------------------------------------------

def documents_for(references, *, by) -> list[tuple[LegalDocument, str]]:
    """The registry's documents for references written by hand ("Thông tư 38/2015/TT-BTC").
    A number not yet in the registry is added, marked for a coordinator to complete."""
    if isinstance(references, str) or not isinstance(references, (list, tuple)):
        raise ValidationError({"legal_references": _("Give the legal references as a list.")})
    if len(references) > MAX_REFERENCES:
        raise ValidationError({"legal_references": _("At most %(n)d legal references.") % {"n": MAX_REFERENCES}})
    found, bad = [], []
    for reference in references:
        citation = citations.parse(reference) if isinstance(reference, str) else None
        if citation is None:
            bad.append(str(reference)[:80])
        else:
            found.append(citation)
    if bad:
        raise ValidationError({"legal_references": _(
            "Not a document number: %(refs)s. Write it as in “Thông tư 38/2015/TT-BTC” or “Nghị định 08/2015/NĐ-CP”."
        ) % {"refs": ", ".join(bad)}})
    result = []
    for citation in found:
        document, created = LegalDocument.objects.get_or_create(
            number=citation.number, defaults={"kind": citation.kind, "needs_completion": True})
        if created:
            audit_record(actor=by, action="legal_document.add_from_citation", obj=document, after=snapshot(document))
        result.append((document, citation.text))
    return result


def _cite(article: Article, references, *, by) -> None:
    """Link the article to the documents given and those its answer cites in the text."""
    documents = {}
    for document, text in documents_for(list(references), by=by):
        documents.setdefault(document.pk, (document, text))
    in_text = [c for c in citations.find(article.answer) + citations.find(article.question)]
    for document, text in documents_for([c.text for c in in_text], by=by) if in_text else []:
        documents.setdefault(document.pk, (document, text))
    article.citations.exclude(document_id__in=documents).delete()
    existing = set(article.citations.values_list("document_id", flat=True))
    Citation.objects.bulk_create([Citation(article=article, document=document, text=text[:200])
                                  for pk, (document, text) in documents.items() if pk not in existing])
    stale = [document for document, _text in documents.values() if document.is_stale]
    if stale and article.is_published:
        _flag(article, stale)


def _flag(article: Article, documents) -> None:
    # The documents' names, not a sentence: pages say why in the reader's language.
    article.needs_review = True
    article.review_reason = ", ".join(d.name for d in documents)[:500]
    Article.objects.filter(pk=article.pk).update(needs_review=True, review_reason=article.review_reason)


@transaction.atomic
def legal_document_save(*, document: LegalDocument | None = None, kind: str, number: str, title: str = "",
                        issuer: str = "", issued_on: date | None = None, effective_on: date | None = None,
                        status: str = DocumentStatus.IN_FORCE, replaced_by: LegalDocument | None = None,
                        amended_by: list[LegalDocument] | None = None, by) -> LegalDocument:
    """Add a document to the registry or correct one. Marking it replaced or expired flags every
    published article that cites it for review. ``amended_by`` None leaves the amending documents
    as they are."""
    _require(access.may_manage_documents(principal_for(by)))
    parsed = citations.parse(number or "")
    if parsed is None:
        raise ValidationError({"number": _("Write the number as in “38/2015/TT-BTC” or “08/2015/NĐ-CP”.")})
    if kind not in citations.KIND_NAMES:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if status not in DocumentStatus.values:
        raise ValidationError({"status": _("Choose the document's status.")})
    if status == DocumentStatus.REPLACED and replaced_by is None:
        raise ValidationError({"replaced_by": _("Say which document replaces it.")})
    if issued_on and effective_on and effective_on < issued_on:
        raise ValidationError({"effective_on": _("A document cannot take effect before it is issued.")})
    clash = LegalDocument.objects.filter(number=parsed.number).exclude(pk=getattr(document, "pk", None)).first()
    if clash:
        raise ValidationError({"number": _("%(name)s is already in the registry.") % {"name": clash.name}})
    if document is not None and replaced_by is not None and replaced_by.pk == document.pk:
        raise ValidationError({"replaced_by": _("A document cannot replace itself.")})
    if document is not None and any(other.pk == document.pk for other in amended_by or []):
        raise ValidationError({"amended_by": _("A document cannot amend itself.")})
    before = snapshot(document) if document else None
    was_stale = bool(document and document.is_stale)
    document = document or LegalDocument()
    document.kind, document.number = kind, parsed.number
    document.title, document.issuer = (title or "").strip()[:500], (issuer or "").strip()[:200]
    document.issued_on, document.effective_on = issued_on, effective_on
    document.status = status
    document.replaced_by = replaced_by if status == DocumentStatus.REPLACED else None
    document.needs_completion = not (document.title and document.issuer and document.issued_on)
    document.full_clean()
    document.save()
    if amended_by is not None:
        document.amended_by.set(amended_by)
    audit_record(actor=by, action="legal_document.save", obj=document, before=before, after=snapshot(document))
    if document.is_stale and not was_stale:
        for article in Article.objects.filter(citations__document=document, status=ArticleStatus.PUBLISHED):
            _flag(article, [d for d in article.documents.all() if d.is_stale])
    return document


# --- articles ------------------------------------------------------------------------------

def _fill(article: Article, *, question, answer, topic, valid_from, valid_to) -> None:
    article.question = _text(question, "question", required_message=_("Enter the question."), max_length=MAX_QUESTION)
    article.answer = _text(answer, "answer", required_message=_("Enter the answer."), max_length=MAX_ANSWER)
    article.topic = _topic(topic)
    _dates(valid_from, valid_to)
    article.valid_from, article.valid_to = valid_from, valid_to


@transaction.atomic
def article_create(*, question: str, answer: str, topic, legal_references=(), valid_from: date | None = None,
                   valid_to: date | None = None, source_case: Case | None = None, publish: bool = False,
                   by) -> Article:
    """Write a Q&A article (a draft, or published at once by a coordinator who confirms it)."""
    _require(access.may_edit_articles(principal_for(by)))
    article = Article(source_case=source_case, created_by=by)
    _fill(article, question=question, answer=answer, topic=topic, valid_from=valid_from, valid_to=valid_to)
    if publish:
        article.status, article.published_by, article.published_at = ArticleStatus.PUBLISHED, by, timezone.now()
    article.save()
    _cite(article, legal_references, by=by)
    audit_record(actor=by, action="article.create", obj=article, after=snapshot(article))
    return article


@transaction.atomic
def article_update(*, article: Article, question: str, answer: str, topic, legal_references=(),
                   valid_from: date | None = None, valid_to: date | None = None, by) -> Article:
    _require(access.may_edit_articles(principal_for(by)))
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article)
    _fill(article, question=question, answer=answer, topic=topic, valid_from=valid_from, valid_to=valid_to)
    article.save()
    _cite(article, legal_references, by=by)
    audit_record(actor=by, action="article.update", obj=article, before=before, after=snapshot(article))
    return article


@transaction.atomic
def article_publish(*, article: Article, by) -> Article:
    _require(access.may_edit_articles(principal_for(by)))
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article)
    article.status, article.published_by, article.published_at = ArticleStatus.PUBLISHED, by, timezone.now()
    article.save()
    stale = [d for d in article.documents.all() if d.is_stale]
    if stale:
        _flag(article, stale)
    audit_record(actor=by, action="article.publish", obj=article, before=before, after=snapshot(article))
    return article


@transaction.atomic
def article_withdraw(*, article: Article, by) -> Article:
    _require(access.may_edit_articles(principal_for(by)))
    article = Article.objects.select_for_update().get(pk=article.pk)
    before = snapshot(article)
    article.status = ArticleStatus.WITHDRAWN
    article.save()
    audit_record(actor=by, action="article.withdraw", obj=article, before=before, after=snapshot(article))
    return article


@transaction.atomic
def article_mark_reviewed(*, article: Article, by) -> Article:
    """A coordinator confirms the article is still right (after correcting it if needed)."""
    _require(access.may_edit_articles(principal_for(by)))
    article = Article.objects.select_for_update().get(pk=article.pk)
    stale = [d.name for d in article.documents.all() if d.is_stale]
    if stale:
        raise ValidationError(_("The article still cites %(docs)s: cite the documents in force instead, then mark it reviewed.")
                              % {"docs": ", ".join(stale)})
    before = snapshot(article)
    article.needs_review, article.review_reason = False, ""
    article.save(update_fields=["needs_review", "review_reason", "updated_at"])
    audit_record(actor=by, action="article.reviewed", obj=article, before=before, after=snapshot(article))
    return article


def article_viewed(*, article: Article) -> None:
    # Only the counter column: the search index is not touched (migration 0002, UPDATE OF).
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)


@transaction.atomic
def article_vote(*, article: Article, helpful: bool, voter: str) -> bool:
    """Count one "was this helpful?" answer per voter (a browser session); False if already counted."""
    if not article.is_published:
        raise ValidationError(_("This article is not published."))
    key = hashlib.sha256(voter.encode()).hexdigest()
    _vote, created = Vote.objects.get_or_create(article=article, voter=key, defaults={"helpful": helpful})
    if created:
        field = "helpful_yes" if helpful else "helpful_no"
        Article.objects.filter(pk=article.pk).update(**{field: F(field) + 1})
    return created


# --- publishing a resolved case --------------------------------------------------------------

@dataclass
class Proposal:
    """What "publish as Q&A" proposes for a case: anonymised text and what was replaced."""

    case: Case
    question: anonymise.Anonymised
    answer: anonymise.Anonymised
    topic: Topic
    legal_references: list[str]


def _known_names(case: Case) -> tuple[list[str], list[str]]:
    enterprise = case.enterprise
    people = list(User.objects.filter(role_assignments__enterprise=enterprise).values_list("full_name", flat=True))
    people += [name for name in User.objects.filter(
        pk__in=[case.filed_by_id, case.assignee_id] + list(case.answers.values_list("author_id", flat=True))
    ).values_list("full_name", flat=True)]
    return sorted({p for p in people if p}), [e for e in (enterprise.name, enterprise.short_name) if e]


def publication_proposal(*, case: Case, by) -> Proposal:
    """The anonymised question and answer a coordinator reviews before publishing a case."""
    _require(access.may_edit_articles(principal_for(by)))
    if case.status != Status.RESOLVED:
        raise ValidationError(_("Only a resolved case can be published as a Q&A."))
    sent = case.answers.filter(state=Answer.State.SENT).order_by("-updated_at").first()
    if sent is None:
        raise ValidationError(_("This case has no answer that was sent to the business."))
    names, enterprises = _known_names(case)
    question = anonymise.anonymise(f"{case.subject}\n\n{case.description}", known_names=names,
                                   known_enterprises=enterprises)
    answer = anonymise.anonymise(sent.body, known_names=names, known_enterprises=enterprises)
    references = list(dict.fromkeys(c.text for c in citations.find(sent.body)))
    return Proposal(case=case, question=question, answer=answer, topic=case.topic, legal_references=references)
