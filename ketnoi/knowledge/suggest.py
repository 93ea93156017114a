"""Topic suggestion for a new case, learned from resolved cases (ketnoi.lib.topicmodel).

    topic_model_train()                          # `ketnoi train_topics`; a new TopicModel row
    topic_suggest(text=suggestion_text(subject=..., description=...))
        -> [Suggestion(topic=<Topic thue>, probability=0.93, words=["hoàn thuế", ...]), ...]

The accuracy stored with a model is measured before it is trained on everything: the resolved
cases are put in the order they were received, a model is trained on the oldest 80 % and tested
on the newest 20 %. Testing on the newest cases, not a random sample, asks what matters: how
well do past cases predict the ones that come next (new goods, new rules, new wording).
"""

import math
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ketnoi.cases.models import Case, Status, Topic
from ketnoi.lib import topicmodel

from .models import TopicModel

MIN_CASES = 50
MIN_TOPICS = 2
TOP_K = 3  # a coordinator looks at three suggestions at most


@dataclass
class Suggestion:
    topic: Topic
    probability: float
    words: list[str] = field(default_factory=list)  # the words of the text that point to the topic


def suggestion_text(*, subject: str, description: str) -> str:
    """The text a case is judged by, the same at training and at suggestion time."""
    return f"{subject}\n{description}"


def _resolved_cases() -> list[tuple[str, str]]:
    """(text, topic code) of every resolved case of a topic in use, oldest first."""
    rows = (Case.objects.filter(status=Status.RESOLVED, topic__active=True)
            .order_by("received_at", "id")
            .values_list("subject", "description", "topic__code"))
    return [(suggestion_text(subject=subject, description=description), code)
            for subject, description, code in rows.iterator(chunk_size=2000)]


def _no_progress(iterable, **kw):
    return iterable


def _evaluate(params: dict, test: list[tuple[str, str]], progress) -> dict:
    """Top-1 and top-3 accuracy on ``test``, and per topic: its cases, how many were suggested
    first correctly (recall), and how often it was suggested first (for precision)."""
    top1 = top3 = unanswered = 0
    cases, correct, suggested = Counter(), Counter(), Counter()
    for text, code in progress(test, desc="test", unit=" cases"):
        ranked = [label for label, _ in topicmodel.predict(params, text, k=TOP_K)]
        cases[code] += 1
        if not ranked:
            unanswered += 1
            continue
        suggested[ranked[0]] += 1
        if ranked[0] == code:
            top1 += 1
            correct[code] += 1
        if code in ranked:
            top3 += 1
    order = list(Topic.objects.filter(code__in=set(cases) | set(suggested)).values_list("code", flat=True))
    per_topic = []
    for code in order:
        per_topic.append({
            "topic": code,
            "cases": cases[code],
            "correct": correct[code],
            "recall": round(correct[code] / cases[code], 4) if cases[code] else None,
            "suggested": suggested[code],
            "precision": round(correct[code] / suggested[code], 4) if suggested[code] else None,
        })
    n = len(test)
    return {"top1": round(top1 / n, 4), "top3": round(top3 / n, 4), "no_suggestion": unanswered,
            "per_topic": per_topic}


def topic_model_train(*, holdout: float = 0.2, progress=None) -> TopicModel:
    """Measure, then train on every resolved case and save the model as the newest row.

    ``holdout`` is the share of the newest cases kept for the measurement; 0 skips it (the
    model is then saved with no accuracy). Raises ValueError, with a message for a person,
    when there are too few resolved cases or topics to learn from."""
    progress = progress or _no_progress
    if not 0 <= holdout < 1:
        raise ValueError(_("The share of cases kept for testing must be at least 0 and less than 1."))
    examples = _resolved_cases()
    topics = {code for _, code in examples}
    if len(examples) < MIN_CASES or len(topics) < MIN_TOPICS:
        raise ValueError(_(
            "A topic model needs at least %(cases)d resolved cases of at least %(topics)d topics; "
            "there are %(found_cases)d resolved cases of %(found_topics)d topics. Train it again "
            "when more cases are resolved.") % {
                "cases": MIN_CASES, "topics": MIN_TOPICS,
                "found_cases": len(examples), "found_topics": len(topics)})

    evaluation: dict = {"method": "time-ordered holdout", "holdout": holdout, "k": TOP_K,
                        "min_cases": MIN_CASES}
    accuracy = None
    if holdout:
        cut = len(examples) - max(1, math.ceil(len(examples) * holdout))
        train, test = examples[:cut], examples[cut:]
        started = time.monotonic()
        measured = topicmodel.train(progress(train, desc="train (oldest)", unit=" cases"))
        evaluation.update({"train_cases": len(train), "test_cases": len(test),
                           "train_seconds": round(time.monotonic() - started, 2)})
        evaluation.update(_evaluate(measured, test, progress))
        accuracy = evaluation["top1"]
    started = time.monotonic()
    params = topicmodel.train(progress(examples, desc="train (all)", unit=" cases"))
    evaluation["final_train_seconds"] = round(time.monotonic() - started, 2)
    evaluation["features"] = len(params["counts"])
    with transaction.atomic():
        return TopicModel.objects.create(cases_used=len(examples), accuracy=accuracy,
                                         evaluation=evaluation, parameters=params)


# The newest model's parameters, keyed by its row (id and time of training: an id alone could
# come back after a rolled-back transaction on SQLite): loaded once per process, not on every
# suggestion; a newer row is noticed by one small query.
_loaded: tuple[tuple, dict] | None = None


def _newest_parameters() -> dict | None:
    global _loaded
    newest = TopicModel.objects.order_by("-trained_at", "-id").values_list("id", "trained_at").first()
    if newest is None:
        return None
    loaded = _loaded
    if loaded is None or loaded[0] != newest:
        params = TopicModel.objects.values_list("parameters", flat=True).get(pk=newest[0])
        loaded = _loaded = (newest, params)
    return loaded[1]


def topic_suggest(*, text: str, k: int = TOP_K) -> list[Suggestion]:
    """The ``k`` likeliest topics in use for ``text``, best first, each with the words that
    pointed to it. [] when no model is trained yet or the text gives the model nothing to go on."""
    if k < 1 or not text or not text.strip():
        return []
    params = _newest_parameters()
    if params is None:
        return []
    # Ask for every label: a topic retired since training is left out, and the next one moves up.
    ranked = topicmodel.predict(params, text, k=len(params["labels"]))
    topics = {topic.code: topic for topic in Topic.objects.filter(code__in=[code for code, _ in ranked], active=True)}
    suggestions = []
    for code, probability in ranked:
        if code in topics:
            suggestions.append(Suggestion(topic=topics[code], probability=probability,
                                          words=topicmodel.explain(params, text, code)))
        if len(suggestions) == k:
            break
    return suggestions
