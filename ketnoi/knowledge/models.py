"""The public Q&A (hỏi đáp) and the registry of the legal documents its answers cite.

The search index is not a model: an FTS5 table on SQLite and a generated tsvector column on
PostgreSQL (migration 0002), written by ketnoi.knowledge.search in the article's transaction.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ketnoi.lib.vnquery import pair_tokens
from ketnoi.lib.vntext import syllables


class DocumentKind(models.TextChoices):
    # The kinds of văn bản that answers cite (Law 80/2015/QH13 on legal documents, Art. 4, plus
    # the administrative letters, công văn, customs answers cite most).
    LAW = "luat", _("Law")
    RESOLUTION = "nghi-quyet", _("Resolution")
    DECREE = "nghi-dinh", _("Decree")
    DECISION = "quyet-dinh", _("Decision")
    CIRCULAR = "thong-tu", _("Circular")
    DIRECTIVE = "chi-thi", _("Directive")
    LETTER = "cong-van", _("Official letter")
    OTHER = "khac", _("Other document")


class DocumentStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPLACED = "replaced", _("Replaced")
    EXPIRED = "expired", _("Expired")


# A citation of a document in one of these states must be reviewed.
STALE_STATUSES = [DocumentStatus.REPLACED, DocumentStatus.EXPIRED]


class LegalDocument(models.Model):
    """A văn bản: ``number`` is its canonical number (ketnoi.lib.citations.canonical), e.g.
    ``38/2015/TT-BTC``; ``kind`` with it gives the usual name "Thông tư 38/2015/TT-BTC"."""

    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=500, blank=True)
    issuer = models.CharField(_("issued by"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=DocumentStatus.choices,
                              default=DocumentStatus.IN_FORCE)
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="replaces", verbose_name=_("replaced by"))
    amended_by = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="amends",
                                        verbose_name=_("amended by"))
    needs_completion = models.BooleanField(
        _("details to complete"), default=False,
        help_text=_("Added from a citation; a coordinator should complete its title, issuer and dates."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-issued_on", "number"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name as written in Vietnamese: "Thông tư 38/2015/TT-BTC"."""
        from ketnoi.lib.citations import KIND_NAMES
        return f"{KIND_NAMES[self.kind]} {self.number}".strip() if self.kind != DocumentKind.OTHER else self.number

    @property
    def is_stale(self) -> bool:
        return self.status in STALE_STATUSES

    def get_absolute_url(self):
        return reverse("knowledge:document", args=[self.pk])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Article(models.Model):
    """A published question and answer. Its URL (/hoi-dap/<id>/) never changes."""

    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"))
    # The folded syllables of question and answer (ketnoi.lib.vntext.syllables), what both
    # engines' full-text indexes are built on: one folding, in Python, for index and query.
    search_question = models.TextField(editable=False, default="")
    search_answer = models.TextField(editable=False, default="")
    # Their adjacent syllables as one token each ("hoan_thue"): the phrase tier and the
    # adjacency signal of the search look these up instead of checking positions (SQLite).
    search_pairs = models.TextField(editable=False, default="")
    topic = models.ForeignKey("cases.Topic", on_delete=models.PROTECT, related_name="articles",
                              verbose_name=_("topic"))
    documents = models.ManyToManyField(LegalDocument, through="Citation", related_name="articles",
                                       verbose_name=_("legal documents cited"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    source_case = models.ForeignKey("cases.Case", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="articles", verbose_name=_("source case"))
    status = models.CharField(_("status"), max_length=12, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    needs_review = models.BooleanField(_("needs review"), default=False)
    # The cited documents no longer in force that made it need review (their names).
    review_reason = models.CharField(_("documents no longer in force"), max_length=500, blank=True)
    helpful_yes = models.PositiveIntegerField(_("found it helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("did not find it helpful"), default=0)
    views = models.PositiveIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("Q&A article")
        verbose_name_plural = _("Q&A articles")
        indexes = [
            models.Index(fields=["status", "topic"], name="article_status_topic"),
            models.Index(fields=["needs_review"], name="article_needs_review",
                         condition=models.Q(needs_review=True)),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        question, answer = syllables(self.question), syllables(self.answer)
        self.search_question, self.search_answer = " ".join(question), " ".join(answer)
        self.search_pairs = " ".join(pair_tokens(question) + pair_tokens(answer))
        if kwargs.get("update_fields") is not None and {"question", "answer"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_question", "search_answer", "search_pairs"}
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == ArticleStatus.PUBLISHED

    @property
    def title(self) -> str:
        """The question's first line, cut at a word near 120 characters."""
        first = self.question.strip().split("\n", 1)[0]
        return first if len(first) <= 120 else first[:117].rsplit(" ", 1)[0] + "…"

    def get_absolute_url(self):
        return reverse("knowledge:article", args=[self.pk])


class Citation(models.Model):
    """An article cites a document; ``text`` keeps the citation as it was written."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="citations")
    document = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="citations")
    text = models.CharField(_("as written"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "document"], name="citation_once")]


class Vote(models.Model):
    """One "was this helpful?" answer per browser session and article (the counts live on the
    article; this row only stops a second vote)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=64)  # sha256 of the session key
    helpful = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["article", "voter"], name="vote_once")]


class TopicModel(models.Model):
    """A trained topic-suggestion model (ketnoi.lib.topicmodel), kept as data so every app
    server uses the same one; the newest row is used."""

    trained_at = models.DateTimeField(_("trained"), auto_now_add=True)
    cases_used = models.PositiveIntegerField(_("cases used"))
    accuracy = models.FloatField(_("measured accuracy"), null=True, blank=True)
    evaluation = models.JSONField(_("how it was measured"), default=dict)
    parameters = models.JSONField(_("model"))

    class Meta:
        ordering = ["-trained_at", "-id"]
        get_latest_by = "trained_at"
        verbose_name = _("topic model")
        verbose_name_plural = _("topic models")
