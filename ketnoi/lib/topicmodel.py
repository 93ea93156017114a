"""Suggest a case's topic from its text: a multinomial naive Bayes over folded syllables and
pairs of adjacent syllables, with Laplace smoothing.

Why this model: it is trained in seconds on tens of thousands of cases with no library, its
parameters are counts a person can read (how often "hoan thue" appeared in cases of each
topic), and every suggestion can be explained by the words that pushed towards it.

    params = train([("Hoàn thuế nhập khẩu nguyên liệu ...", "thue"), ...])   # JSON-serialisable
    predict(params, "xin hoàn thuế", k=3)  -> [("thue", 0.91), ("gia-cong-sxxk-chexuat", 0.05), ...]
    explain(params, "xin hoàn thuế", "thue") -> ["hoàn thuế"]

Features. The text is folded (ketnoi.lib.vntext: no diacritics, đ → d), as people type both
ways. Vietnamese words are mostly two syllables ("thủ tục", "xuất xứ"), so each pair of adjacent
syllables is a feature beside each syllable. Runs of digits are left out (declaration numbers,
tax codes, dates and amounts differ in every case and carry no topic); a syllable with a letter
("E31", "A12", "IDA01") stays.

Stop features carry no topic and are left out. They are of two kinds:
- ``STOP_SYLLABLES``: function words that are still function words once folded (và, của,
  các, được ...). A folded syllable is often ambiguous ("ma" is mà and mã, "de" is để and đề,
  "tai" is tại and tái), so only those with no common second reading are listed, and only as
  single syllables: pairs such as "ma hs" or "tai xuat" keep their meaning.
- derived from the training cases: a feature found in at least ``common`` (40 %) of the cases
  of every topic ("cong ty", "huong dan", "vuong mac", "cam on" in nearly every letter) cannot
  tell topics apart; it only adds noise to the sums and clutters the explanation. A share of all
  cases would not do: "to khai" is in half of all cases but almost never in a question about HS
  codes, which is worth knowing. Only topics with at least ``MIN_TOPIC_CASES`` cases take part
  (a share of three cases means nothing). The derived stops are kept in the parameters
  (``stop``) so a reader sees what was dropped.

Pruning keeps the parameters small: a feature found in fewer than ``min_df`` cases (a name, a
typo) is dropped, and at most ``max_features`` features (the most frequent) are kept.
"""

import math
import re
from collections import Counter
from collections.abc import Iterable

from ketnoi.lib.vntext import bigrams, fold, normalize, syllables

VERSION = 1
MIN_TOPIC_CASES = 10

# Not listed although frequent, because a second reading once folded is a topic word: ma (mã
# HS), de (đề nghị), co (cơ quan), tai (tái xuất), tu (tự công bố), cho (chờ kết quả), da (da
# thuộc), do (đồ), ve (vé), la (lá), o (ô tô), can (cán nguội), moi (mới), the (thẻ), sao (bản
# sao), nhat (Nhật Bản). The derived stops catch them where they are noise.
STOP_SYLLABLES = frozenset({
    "va", "cua", "cac", "nhung", "duoc", "voi", "theo", "trong", "khi", "nay", "mot", "hoac",
    "neu", "thi", "vao", "ra", "tren", "duoi", "nao", "gi", "nhieu", "phai", "boi", "rat", "hay",
})

_SYLLABLE = re.compile(r"[^\W_]+")
# Where a phrase ends. Not "/" or "-": "C/O", "TT-BTC" are one phrase.
_PHRASE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"“”‘’…\n\r\t]+")


def features(text: str) -> list[str]:
    """The features of ``text``: its folded syllables and adjacent pairs, without numbers and
    listed stop syllables (pairs containing a stop syllable are kept: the pair may be a word).
    A pair is two syllables of one phrase: punctuation or a number between them breaks it."""
    singles: list[str] = []
    pairs: list[str] = []
    for phrase in _PHRASE_BREAK.split(text):
        tokens = syllables(phrase)
        numeric = [token.isdigit() for token in tokens]
        singles += [token for token, number in zip(tokens, numeric) if not number and token not in STOP_SYLLABLES]
        pairs += [pair for pair, first, second in zip(bigrams(tokens), numeric, numeric[1:]) if not (first or second)]
    return singles + pairs


def train(examples: Iterable[tuple[str, str]], *, alpha: float = 1.0, min_df: int = 3, common: float = 0.4,
          max_features: int = 30000) -> dict:
    """Count features per label over ``examples`` of (text, label); return the parameters.

    ``alpha`` is the Laplace smoothing (add-one by default); ``min_df``, ``common`` and
    ``max_features`` prune features as the module explains."""
    documents: list[tuple[Counter, str]] = []
    for text, label in examples:
        documents.append((Counter(features(text or "")), label))
    labels = sorted({label for _, label in documents})
    index = {label: i for i, label in enumerate(labels)}
    docs_per_label = [0] * len(labels)
    df_per_label: dict[str, list[int]] = {}
    for counts, label in documents:
        i = index[label]
        docs_per_label[i] += 1
        for f in counts:
            df_per_label.setdefault(f, [0] * len(labels))[i] += 1
    judged = [i for i, docs in enumerate(docs_per_label) if docs >= MIN_TOPIC_CASES]
    stop = sorted(f for f, per_label in df_per_label.items()
                  if len(judged) >= 2 and all(per_label[i] >= common * docs_per_label[i] for i in judged))
    stop_set = set(stop)
    df = {f: sum(per_label) for f, per_label in df_per_label.items()}
    kept = [f for f, d in df.items() if d >= min_df and f not in stop_set]
    kept.sort(key=lambda f: (-df[f], f))
    kept = kept[:max_features]
    table = {f: [0] * len(labels) for f in sorted(kept)}
    for counts, label in documents:
        i = index[label]
        for f, c in counts.items():
            row = table.get(f)
            if row is not None:
                row[i] += c
    totals = [sum(row[i] for row in table.values()) for i in range(len(labels))]
    return {
        "version": VERSION,
        "alpha": alpha,
        "labels": labels,
        "documents": docs_per_label,
        "totals": totals,
        "counts": table,
        "stop": stop,
        "settings": {"min_df": min_df, "common": common, "max_features": max_features,
                     "stop_syllables": sorted(STOP_SYLLABLES)},
    }


def _known(params: dict, text: str) -> Counter:
    counts = params["counts"]
    return Counter(f for f in features(text or "") if f in counts)


def _log_likelihoods(params: dict, feature_counts: Counter) -> list[float]:
    """log P(label) + Σ count × log P(feature | label), with Laplace smoothing over the vocabulary."""
    alpha, counts = params["alpha"], params["counts"]
    vocabulary = len(counts)
    n = sum(params["documents"])
    scores = []
    for i, (docs, total) in enumerate(zip(params["documents"], params["totals"])):
        denominator = math.log(total + alpha * vocabulary)
        score = math.log(docs / n) if docs else -math.inf
        for f, c in feature_counts.items():
            score += c * (math.log(counts[f][i] + alpha) - denominator)
        scores.append(score)
    return scores


def predict(params: dict, text: str, k: int = 3) -> list[tuple[str, float]]:
    """The ``k`` likeliest labels of ``text`` with their probabilities, best first.

    A text with no feature the model knows (empty, only numbers, another language) gets []:
    the model has nothing to go on, and the labels' base rates are not a suggestion."""
    feature_counts = _known(params, text)
    if not feature_counts or not params["labels"]:
        return []
    scores = _log_likelihoods(params, feature_counts)
    top = max(scores)
    weights = [math.exp(s - top) for s in scores]
    total = sum(weights)
    ranked = sorted(zip(params["labels"], (w / total for w in weights)), key=lambda pair: (-pair[1], pair[0]))
    return ranked[:k]


def explain(params: dict, text: str, label: str, n: int = 5) -> list[str]:
    """The words of ``text`` that pushed most towards ``label``, as they are written in the text.

    A feature pushes towards the label by how much likelier it is in that label's cases than in
    the other labels' cases on average (log ratio of the smoothed probabilities), times the
    times it occurs. Only features that push towards the label are returned, strongest first."""
    if label not in params["labels"]:
        return []
    i = params["labels"].index(label)
    feature_counts = _known(params, text)
    alpha, counts, totals = params["alpha"], params["counts"], params["totals"]
    vocabulary = len(counts)
    others = [j for j in range(len(params["labels"])) if j != i]
    if not others:
        return []
    weights = {}
    for f, c in feature_counts.items():
        row = counts[f]
        here = (row[i] + alpha) / (totals[i] + alpha * vocabulary)
        elsewhere = sum((row[j] + alpha) / (totals[j] + alpha * vocabulary) for j in others) / len(others)
        weight = c * math.log(here / elsewhere)
        if weight > 0:
            weights[f] = weight
    # A pair says more to a reader than its syllables: a syllable of a pair that also points to
    # the label is not shown ("hoàn thuế", not "hoàn", "thuế"); nor is a lone letter ("c" of "C/O").
    # A pair with a function word ("nào và", "cho một") is no word to a reader either: it counts
    # in the prediction but is not shown.
    covered = {part for f in weights if " " in f for part in f.split(" ")}
    shown = [f for f in weights if (STOP_SYLLABLES.isdisjoint(f.split(" ")) if " " in f
                                    else len(f) > 1 and f not in covered)]
    best = sorted(shown, key=lambda f: (-weights[f], f))[:n]
    written = _as_written(text)
    return [written.get(f, f) for f in best]


def _as_written(text: str) -> dict[str, str]:
    """Folded feature → how it first appears in ``text`` (lowercase, with its diacritics), so a
    coordinator reads "hoàn thuế", not "hoan thue"."""
    words = [w for w in _SYLLABLE.findall(normalize(text or "").lower())]
    pairs: list[tuple[str, str]] = []
    for word in words:
        folded = syllables(word)
        # A word folds to one syllable except in odd scripts; keep the alignment only when it does.
        pairs.append((folded[0] if len(folded) == 1 else fold(word), word))
    found: dict[str, str] = {}
    for (f1, w1), (f2, w2) in zip(pairs, pairs[1:]):
        found.setdefault(f"{f1} {f2}", f"{w1} {w2}")
    for f, w in pairs:
        found.setdefault(f, w)
    return found
