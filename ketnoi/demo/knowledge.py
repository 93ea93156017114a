"""The demo's public Q&A: the legal documents its answers cite and the hand-written articles.

Both come from data files written for the demo (ketnoi/demo/data/): legal_documents.jsonl, the
registry (one document a line), and knowledge_*.jsonl, the articles (key, topic, question,
answer, cites, asked_on). Every write goes through the knowledge services, so citations are
linked and articles citing a document no longer in force are flagged exactly as in use; only
what no service sets afterwards (publication date, views, votes) is written directly.

Running it again adds nothing: a document is found by its number, an article by its question.
A line that cannot be read or that a service refuses is skipped and counted, so the demo loads
with whatever lines the files hold.
"""

import json
import math
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ketnoi.accounts.models import Role, User
from ketnoi.knowledge import services
from ketnoi.knowledge.models import Article, DocumentStatus, LegalDocument
from ketnoi.lib import citations
from ketnoi.lib.workdays import TIMEZONE, add_workdays

DATA = Path(__file__).parent / "data"


@dataclass
class Loaded:
    documents: int = 0
    articles: int = 0
    skipped: list[str] = field(default_factory=list)  # why each unusable line was left out


def read_jsonl(path: Path, loaded: Loaded) -> list[dict]:
    """The objects of a JSON-lines file; a line being written (not yet valid JSON) is skipped."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            loaded.skipped.append(f"{path.name}:{number}: not valid JSON")
            continue
        if isinstance(row, dict):
            rows.append(row)
        else:
            loaded.skipped.append(f"{path.name}:{number}: not a JSON object")
    return rows


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _canonical(number) -> str | None:
    parsed = citations.parse(number) if isinstance(number, str) else None
    return parsed.number if parsed else None


def demo_coordinator() -> User:
    """The demo's coordinator login publishes the Q&A (only coordinators may)."""
    coordinators = User.objects.filter(is_active=True, role_assignments__role=Role.COORDINATOR).distinct()
    user = coordinators.filter(username="coordinator").first() or coordinators.order_by("pk").first()
    if user is None:
        raise RuntimeError("the demo Q&A needs a department coordinator: build the logins first")
    return user


class KnowledgeBuilder:
    def __init__(self, *, seed: int = 2020, by: User | None = None, data: Path = DATA, progress=None):
        self.seed = seed
        self.by = by
        self.data = data
        self.progress = progress or (lambda iterable, **kw: iterable)

    def build(self) -> Loaded:
        loaded = Loaded()
        self.by = self.by or demo_coordinator()
        with transaction.atomic():
            self.build_documents(loaded)
            self.build_articles(loaded)
        return loaded

    # --- the registry ---------------------------------------------------------------------------
    def build_documents(self, loaded: Loaded) -> None:
        """Every document in two passes: first each one alone, then the links between them
        (replaced by, amended by), which need the other documents to exist."""
        path = self.data / "legal_documents.jsonl"
        rows = read_jsonl(path, loaded) if path.exists() else []
        existing = {d.number: d for d in LegalDocument.objects.all()}
        # A document already in the registry is left as it is (a coordinator may have corrected
        # it), unless it was added from a citation and is still to complete.
        todo: list[tuple[dict, LegalDocument]] = []
        for row in self.progress(rows, desc="Văn bản / legal documents", unit=""):
            number = _canonical(row.get("number"))
            if number is None:
                loaded.skipped.append(f"{path.name}: {row.get('number')!r} is not a document number")
                continue
            document = existing.get(number)
            if document is not None and not document.needs_completion:
                continue
            saved = self._save_document(row, document=document, number=number, status=DocumentStatus.IN_FORCE,
                                        loaded=loaded)
            if saved is not None:
                loaded.documents += document is None
                existing[number] = saved
                todo.append((row, saved))
        for row, document in todo:
            status = row.get("status") if row.get("status") in DocumentStatus.values else DocumentStatus.IN_FORCE
            replaced_by = existing.get(_canonical(row.get("replaced_by")) or "")
            if status == DocumentStatus.REPLACED and replaced_by is None:
                # The replacing document is not in the registry: the old one is no longer in
                # force all the same, and its answers must be reviewed.
                status = DocumentStatus.EXPIRED
            amended_by = [existing[n] for n in map(_canonical, row.get("amended_by") or []) if n in existing]
            if status == DocumentStatus.IN_FORCE and not amended_by:
                continue
            self._save_document(row, document=document, number=document.number, status=status,
                                replaced_by=replaced_by, amended_by=amended_by, loaded=loaded)

    def _save_document(self, row: dict, *, document, number: str, status: str, loaded: Loaded,
                       replaced_by=None, amended_by=None) -> LegalDocument | None:
        kind = row.get("kind") if row.get("kind") in citations.KIND_NAMES else citations.infer_kind(number)
        try:
            return services.legal_document_save(
                document=document, kind=kind or "khac", number=number, title=str(row.get("title") or ""),
                issuer=str(row.get("issuer") or ""), issued_on=_day(row.get("issued_on")),
                effective_on=_day(row.get("effective_on")), status=status,
                replaced_by=replaced_by if status == DocumentStatus.REPLACED else None,
                amended_by=amended_by, by=self.by)
        except ValidationError as error:
            loaded.skipped.append(f"legal_documents.jsonl: {number}: {' '.join(error.messages)}")
            return None

    # --- the articles ---------------------------------------------------------------------------
    def build_articles(self, loaded: Loaded) -> None:
        rows = []
        for path in sorted(self.data.glob("knowledge_*.jsonl")):
            rows += [(path.name, row) for row in read_jsonl(path, loaded)]
        known = set(Article.objects.filter(question__in=[r.get("question") for _f, r in rows
                                                         if isinstance(r.get("question"), str)])
                    .values_list("question", flat=True))
        now = timezone.now()
        for name, row in self.progress(rows, desc="Hỏi đáp / Q&A", unit=""):
            question = row.get("question")
            if isinstance(question, str) and question.strip() in known:
                continue
            asked_on = _day(row.get("asked_on"))
            try:
                article = services.article_create(
                    question=question, answer=row.get("answer"), topic=row.get("topic"),
                    legal_references=row.get("cites") or [], publish=True, by=self.by)
            except ValidationError as error:
                loaded.skipped.append(f"{name}: {row.get('key')}: {' '.join(error.messages)}")
                continue
            known.add(article.question)
            loaded.articles += 1
            self._history(article, key=str(row.get("key") or article.pk), asked_on=asked_on, now=now)

    def _history(self, article: Article, *, key: str, asked_on: date | None, now: datetime) -> None:
        """Published a few working days after the question was asked; read and voted on since,
        in proportion to how long it has been public. The draws depend on the article's key
        alone, so they do not change when other lines are added."""
        rng = random.Random(f"{self.seed}:{key}")
        published = now
        if asked_on is not None:
            day = add_workdays(asked_on, rng.randint(3, 12))
            published = min(now, datetime.combine(day, time(rng.randint(8, 16), rng.randrange(0, 60, 5)),
                                                  tzinfo=TIMEZONE))
        months = max(0.5, (now - published).days / 30.4)
        # A dozen reads a month for a typical answer; a few that many businesses need, far more.
        views = int(rng.lognormvariate(math.log(12 * months), 0.9))
        yes = int(views * rng.uniform(0.02, 0.07))
        no = int(yes * rng.uniform(0.08, 0.3)) + (rng.randint(1, 6) if article.needs_review else 0)
        # Only these columns: the search index is not touched (migration 0002, UPDATE OF).
        Article.objects.filter(pk=article.pk).update(published_at=published, created_at=published,
                                                     views=views, helpful_yes=yes, helpful_no=no)
