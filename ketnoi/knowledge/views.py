"""The pages of the Q&A: the public search, articles and the registry of legal documents, and the
coordinators' pages that write, review and publish them. Thin: parse a form, check access, call
one service or selector, then render or redirect. A draft or withdrawn article answers 404 to
everyone but coordinators; a coordinators' page answers 403 to other signed-in users."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from ketnoi.accounts.access import principal_for
from ketnoi.cases import selectors as case_selectors
from ketnoi.front.forms import add_service_errors
from ketnoi.lib import citations

from . import access, forms, selectors, services
from .models import ArticleStatus, LegalDocument

PAGE_SIZE = 10
STAFF_PAGE_SIZE = 25
DOCUMENTS_PAGE_SIZE = 50
# No one reads a thousand results; a deeper page only costs the database an OFFSET.
MAX_PAGE = 100
SIMILAR = 5
TOPIC_COUNTS_KEY = "knowledge:topic-counts"
TOPIC_COUNTS_SECONDS = 300
# Articles a browser session has voted on, remembered to thank it instead of asking again.
VOTED_SESSION_KEY = "knowledge_votes"
VOTED_REMEMBERED = 200


def _p(request):
    return principal_for(request.user)


def _page_number(request) -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def _editor(request):
    if not access.may_edit_articles(_p(request)):
        raise PermissionDenied


def _document_manager(request):
    if not access.may_manage_documents(_p(request)):
        raise PermissionDenied


# --- the public search ------------------------------------------------------------------------

def _topic_counts() -> list[tuple]:
    """(topic, number of published answers) for the search page's topic list. Counting a million
    answers takes ~150 ms (SQLite, covering index): the counts are kept a few minutes."""
    counts = cache.get(TOPIC_COUNTS_KEY)
    if counts is None:
        counts = dict(selectors.published().values_list("topic_id").annotate(n=Count("id")).order_by())
        cache.set(TOPIC_COUNTS_KEY, counts, TOPIC_COUNTS_SECONDS)
    return [(topic, counts[topic.pk]) for topic in case_selectors.topics() if counts.get(topic.pk)]


@require_safe
def search(request):
    form = forms.SearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    q, topic = data.get("q", ""), form.topics.get(data.get("topic") or "")
    number = _page_number(request)
    context = {"form": form, "q": q, "topic": topic, "number": number}
    if q:
        results = selectors.article_search(text=q, topic_id=topic.pk if topic else None, limit=PAGE_SIZE,
                                           offset=(number - 1) * PAGE_SIZE)
        last = max(1, -(-results.total // PAGE_SIZE))
        context.update(results=results, last=last, has_previous=number > 1,
                       has_next=number * PAGE_SIZE < results.total)
    else:
        # Without a query: the newest answers (of the topic chosen), a page more read to know
        # whether there is a next one rather than counting them all. Newest by id, which the
        # indexes serve: ordering by published_at sorts every published row (~1 s for a million).
        latest = selectors.published().select_related("topic").order_by("-id")
        if topic:
            latest = latest.filter(topic=topic)
        start = (number - 1) * PAGE_SIZE
        rows = list(latest[start:start + PAGE_SIZE + 1])
        context.update(latest=rows[:PAGE_SIZE], has_previous=number > 1, has_next=len(rows) > PAGE_SIZE,
                       topics=_topic_counts())
    return render(request, "knowledge/search.html", context, status=400 if form.errors else 200)


# --- an article -------------------------------------------------------------------------------

def _article_or_404(request, pk):
    article = selectors.article_for(p=_p(request), pk=pk)
    if article is None:
        raise Http404
    return article


def _voted(request) -> dict:
    return request.session.get(VOTED_SESSION_KEY, {})


def _question_details(article) -> str:
    """The question below its title: without the first line when the title is that line whole."""
    first, _newline, rest = article.question.strip().partition("\n")
    return rest.strip() if article.title == first else article.question.strip()


def _render_article(request, article, *, vote_error: str = "", status: int = 200):
    p = _p(request)
    cited = list(article.citations.all())
    similar = [(other, score) for other, score in selectors.similar_articles(text=article.question, limit=SIMILAR + 1)
               if other.pk != article.pk][:SIMILAR]
    return render(request, "knowledge/article.html", {
        "article": article,
        "question_details": _question_details(article),
        "citations": cited,
        "documents": {citation.document.number: citation.document for citation in cited},
        "similar": similar,
        "editor": access.may_edit_articles(p),
        "voted": _voted(request).get(str(article.pk)),
        "vote_error": vote_error,
    }, status=status)


@require_safe
def article(request, pk):
    article = _article_or_404(request, pk)
    if article.is_published and not access.may_edit_articles(_p(request)):
        services.article_viewed(article=article)
    return _render_article(request, article)


@require_POST
def vote(request, pk):
    article = _article_or_404(request, pk)
    helpful = {"yes": True, "no": False}.get(request.POST.get("helpful", ""))
    if helpful is None:
        return _render_article(request, article, vote_error=_("Choose “Yes” or “No”."), status=400)
    if request.session.session_key is None:
        request.session.save()  # an anonymous visitor's session gets its key here
    try:
        counted = services.article_vote(article=article, helpful=helpful, voter=request.session.session_key)
    except ValidationError as error:
        return _render_article(request, article, vote_error=" ".join(error.messages), status=400)
    voted = _voted(request)
    if counted or str(article.pk) not in voted:
        voted[str(article.pk)] = ("yes" if helpful else "no") if counted else "earlier"
    request.session[VOTED_SESSION_KEY] = dict(list(voted.items())[-VOTED_REMEMBERED:])
    messages.success(request, _("Thank you for your answer.") if counted
                     else _("You had already answered. Thank you."))
    return redirect(article.get_absolute_url() + "#helpful")


# --- the registry of legal documents ------------------------------------------------------------

@require_safe
def documents(request):
    form = forms.DocumentFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    text = data.get("q", "").strip()
    if "/" in text:
        # A number as people type it ("38/2015/tt-btc", "08/2015/nd-cp") → as the registry stores it.
        text = citations.canonical(text)
    registry = selectors.documents(text=text, status=data.get("status") or None)
    page = Paginator(registry, DOCUMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/documents.html", {
        "form": form, "page": page, "manager": access.may_manage_documents(_p(request)),
    }, status=400 if form.errors else 200)


@require_safe
def document(request, pk):
    found = selectors.document_for(pk=pk)
    if found is None:
        raise Http404
    citing = Paginator(selectors.citing_articles(document=found), STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "knowledge/document.html", {
        "document": found, "replaces": list(found.replaces.all()), "amended_by": list(found.amended_by.all()),
        "page": citing, "manager": access.may_manage_documents(_p(request)),
    })


def _document_form(request, *, document=None):
    _document_manager(request)
    if request.method == "POST":
        form = forms.DocumentForm(request.POST)
    else:
        form = forms.DocumentForm(initial=forms.document_initial(document) if document else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        was_stale = bool(document and document.is_stale)
        try:
            saved = services.legal_document_save(
                document=document, kind=data["kind"], number=data["number"], title=data["title"],
                issuer=data["issuer"], issued_on=data["issued_on"], effective_on=data["effective_on"],
                status=data["status"], replaced_by=data["replaced_by"], amended_by=data["amended_by"],
                by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s is saved in the registry.") % {"name": saved.name})
            if saved.is_stale and not was_stale:
                flagged = selectors.citing_articles(document=saved).filter(needs_review=True).count()
                messages.warning(request, _("%(n)d published answers that cite it are flagged for review.")
                                 % {"n": flagged})
            return redirect(saved.get_absolute_url())
    return render(request, "knowledge/document_form.html", {
        "form": form, "document": document,
        # Numbers to choose "replaced by" from, without JavaScript (a <datalist>).
        "numbers": LegalDocument.objects.exclude(pk=getattr(document, "pk", None))
                                        .order_by("number").values_list("number", flat=True)[:2000],
    }, status=400 if form.errors else 200)


@login_required
def document_new(request):
    return _document_form(request)


@login_required
def document_edit(request, pk):
    _document_manager(request)
    found = selectors.document_for(pk=pk)
    if found is None:
        raise Http404
    return _document_form(request, document=found)


# --- coordinators: writing, reviewing and publishing --------------------------------------------

@require_safe
@login_required
def manage(request):
    _editor(request)
    status = request.GET.get("status", ArticleStatus.DRAFT)
    if status not in ArticleStatus.values:
        status = ArticleStatus.DRAFT
    number = _page_number(request)
    start = (number - 1) * STAFF_PAGE_SIZE
    rows = list(selectors.articles_for_staff(status=status)[start:start + STAFF_PAGE_SIZE + 1])
    review = selectors.articles_needing_review()
    return render(request, "knowledge/manage.html", {
        "status": status, "statuses": ArticleStatus.choices,
        "rows": rows[:STAFF_PAGE_SIZE], "number": number, "has_previous": number > 1,
        "has_next": len(rows) > STAFF_PAGE_SIZE,
        "review": list(review[:100]), "review_count": review.count(),
        "to_complete": list(LegalDocument.objects.filter(needs_completion=True).order_by("number")[:100]),
    })


def _save_article(request, form, *, article=None):
    """Create or update from the form; "publish" in the POST publishes it too. Returns the
    article, or None with the service's errors on the form."""
    data = form.cleaned_data
    fields = dict(question=data["question"], answer=data["answer"], topic=data["topic"],
                  legal_references=data["legal_references"], valid_from=data["valid_from"],
                  valid_to=data["valid_to"], by=request.user)
    publish = "publish" in request.POST
    try:
        with transaction.atomic():
            if article is None:
                return services.article_create(publish=publish, **fields)
            article = services.article_update(article=article, **fields)
            if publish and not article.is_published:
                article = services.article_publish(article=article, by=request.user)
            return article
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def _saved_message(article) -> str:
    if article.is_published:
        return _("The answer is published. Everyone can read it at this address.")
    if article.status == ArticleStatus.WITHDRAWN:
        return _("The answer is saved. It stays withdrawn: the public does not see it.")
    return _("The answer is saved as a draft. The public does not see it.")


@login_required
def new(request):
    _editor(request)
    form = forms.ArticleForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        saved = _save_article(request, form)
        if saved is not None:
            messages.success(request, _saved_message(saved))
            return redirect(saved.get_absolute_url())
    return render(request, "knowledge/article_form.html", {"form": form, "article": None},
                  status=400 if form.errors else 200)


def _render_edit(request, article, form, *, review_errors=(), status=200):
    return render(request, "knowledge/article_form.html",
                  {"form": form, "article": article, "review_errors": review_errors}, status=status)


@login_required
def edit(request, pk):
    _editor(request)
    article = _article_or_404(request, pk)
    if request.method == "POST":
        form = forms.ArticleForm(request.POST)
        if form.is_valid():
            saved = _save_article(request, form, article=article)
            if saved is not None:
                messages.success(request, _saved_message(saved))
                return redirect(saved.get_absolute_url())
    else:
        form = forms.ArticleForm(initial=forms.article_initial(article))
    return _render_edit(request, article, form, status=400 if form.errors else 200)


@require_POST
@login_required
def withdraw(request, pk):
    _editor(request)
    article = _article_or_404(request, pk)
    services.article_withdraw(article=article, by=request.user)
    messages.success(request, _("The answer is withdrawn. The public no longer sees it."))
    return redirect("knowledge:manage")


@require_POST
@login_required
def reviewed(request, pk):
    _editor(request)
    article = _article_or_404(request, pk)
    try:
        services.article_mark_reviewed(article=article, by=request.user)
    except ValidationError as error:
        form = forms.ArticleForm(initial=forms.article_initial(article))
        return _render_edit(request, article, form, review_errors=error.messages, status=400)
    messages.success(request, _("The answer is marked as reviewed."))
    return redirect(article.get_absolute_url())


@login_required
def publish_case(request, reference):
    """"Publish as Q&A": the anonymised proposal for a resolved case, reviewed and edited by a
    coordinator; nothing is published until they press "Publish"."""
    _editor(request)
    case = case_selectors.case_for(p=_p(request), reference=reference)
    if case is None:
        raise Http404
    try:
        proposal = services.publication_proposal(case=case, by=request.user)
    except ValidationError as error:
        return render(request, "knowledge/publish_refused.html", {"case": case, "errors": error.messages}, status=400)
    if request.method == "POST":
        form = forms.ArticleForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.article_create(
                    question=data["question"], answer=data["answer"], topic=data["topic"],
                    legal_references=data["legal_references"], valid_from=data["valid_from"],
                    valid_to=data["valid_to"], source_case=case, publish="publish" in request.POST,
                    by=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _saved_message(created))
                return redirect(created.get_absolute_url())
    else:
        form = forms.ArticleForm(initial={
            "question": proposal.question.text, "answer": proposal.answer.text, "topic": proposal.topic.code,
            "legal_references": "\n".join(proposal.legal_references)})
    return render(request, "knowledge/publish_case.html", {
        "case": case, "proposal": proposal, "form": form,
        # What was replaced, each original once (it may occur in the question and the answer).
        "replacements": list({(r.kind, r.original, r.label): r for r in
                              [*proposal.question.replacements, *proposal.answer.replacements]}.values()),
        "published_before": list(case.articles.exclude(status=ArticleStatus.WITHDRAWN)),
    }, status=400 if form.errors else 200)
