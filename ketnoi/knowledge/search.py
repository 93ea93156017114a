"""Full-text search of published articles on SQLite FTS5 and PostgreSQL tsvector.

Results come in tiers, so that an article holding more of what was typed always comes first:

1. every syllable, adjacent and in order (the query as a phrase; on SQLite, every pair of
   adjacent syllables, indexed as one token, so that a phrase of common syllables is a lookup);
2. every term (a term matches through any of its alternatives: "NK" or "nhập khẩu");
3. at least two of the query's rare terms;
4. one of them.

Queries are typed the way businesses type them ("C/O form E nộp bản chụp được ko"): the answer
often lacks a word of the query, so not every term can be required (tiers 3 and 4). Those
tiers use only the rarest terms, whose articles add up to at most RARE_BUDGET: common syllables
("hải", "quan") would make them the whole index.

Ranking must not cost time in proportion to the matches. FTS5's bm25 counts, on every query, the
articles holding each phrase in the whole index (tens of milliseconds on 100,000 articles, ten
times that on a million), so ranking is a score of our own, the same on both engines: each term
found adds its weight (log of articles ÷ articles holding it, counted up to FREQUENCY_CAP and
remembered for a few minutes); found in the question it adds it again; two terms found side by
side as typed add half their weights. Tiers 1 and 2 can match most of the index ("thủ tục hải
quan"): they are cut to their WINDOW newest matches, a cheap read of the index in rowid order,
and scored inside that window. Tiers 3 and 4 are bounded by RARE_BUDGET and scored whole, from
each rare term's own list of articles. Every signal is one indexed query. A search returns at
most MAX_RESULTS results; when a window was full, ``total`` says "at least".

Similar questions (a case's whole description) often have no rare word at all: their "rarest"
term is then in thousands of articles, and its newest SIMILAR_FIRST are read first, enough when
they already hold the best that its whole list could give. On PostgreSQL, whose GIN index gives
the rows holding a lexeme but neither its weight nor its neighbours, the signals of tiers 3 and
4 are tested on the rows read for each term, in the same query; and the planner's statistics of
the search vector (migration 0003) tell a common term without counting it.
"""

import heapq
import math
import time
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from ketnoi.lib import vnquery

WINDOW = 200
RARE_BUDGET = 2_000
FREQUENCY_CAP = RARE_BUDGET
FREQUENCY_SECONDS = 600
SIMILAR_FIRST = 100  # similar questions: the newest articles of a common word read first
REMEMBER_FROM = 100  # articles: a rarer term is counted again each time
MAX_RESULTS = 1_000
QUESTION_BONUS = 1.0  # a term in the question counts twice
ADJACENT_BONUS = 0.5  # two terms side by side as typed: half their weights again


@dataclass(frozen=True)
class Hit:
    article_id: int
    score: float
    tier: int


@dataclass(frozen=True)
class Page:
    total: int
    total_is_exact: bool
    hits: list[Hit]
    query: vnquery.Query


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _key(term: vnquery.Term) -> tuple:
    return tuple(term.alternatives)


def _unique(terms: list[vnquery.Term]) -> list[vnquery.Term]:
    return list({_key(term): term for term in terms}.values())


# --- term statistics -----------------------------------------------------------------------

_remembered: dict[tuple, tuple[int, float]] = {}


def _remember(key: tuple, compute, *, worth: int = 0) -> int:
    """``compute()``, remembered for FREQUENCY_SECONDS when it is at least ``worth`` (a small
    count is cheap to make again, and a word just published must not wait to be found)."""
    key = (connection.vendor, connection.settings_dict["NAME"], *key)
    known, now = _remembered.get(key), time.monotonic()
    if known and now - known[1] < FREQUENCY_SECONDS:
        return known[0]
    if len(_remembered) > 50_000:
        _remembered.clear()
    value = compute()
    if value >= worth:
        _remembered[key] = (value, now)
    return value


def frequency(term: vnquery.Term) -> int:
    """How many published articles hold the term, counted up to FREQUENCY_CAP; remembered for
    FREQUENCY_SECONDS (a weight needs no exact count)."""
    def count():
        if _sqlite():
            sql = ("SELECT count(*) FROM (SELECT 1 FROM knowledge_article_fts "
                   "WHERE knowledge_article_fts MATCH %s LIMIT %s)")
        elif _common_on_postgresql(term):
            return FREQUENCY_CAP
        else:
            sql = ("SELECT count(*) FROM (SELECT 1 FROM knowledge_article WHERE status = 'published' "
                   "AND search_vector @@ %s::tsquery LIMIT %s) t")
        with connection.cursor() as cursor:
            cursor.execute(sql, [_match("all", [term]), FREQUENCY_CAP])
            return cursor.fetchone()[0]
    return _remember(("df", _key(term)), count, worth=REMEMBER_FROM)


def _statistics() -> dict[str, float]:
    """(PostgreSQL) The most common lexemes of the tsvector column, each with its number of rows,
    as ANALYZE last estimated them (migration 0003 keeps 10,000)."""
    def statistics():
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
                  FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
                 WHERE s.tablename = 'knowledge_article' AND s.attname = 'search_vector'""")
            row = cursor.fetchone()
        if not row or not row[0]:
            return 0
        lexemes, shares, rows = row
        return {lexeme: share * rows for lexeme, share in zip(lexemes, shares)}
    key = (connection.vendor, connection.settings_dict["NAME"], "statistics")
    known = _remembered.get(key)
    if not known or time.monotonic() - known[1] >= FREQUENCY_SECONDS:
        known = (statistics(), time.monotonic())
        _remembered[key] = known
    return known[0] or {}


def _common_on_postgresql(term: vnquery.Term) -> bool:
    """Whether the planner's statistics of the tsvector column (most common lexemes and their
    share of rows, refreshed by ANALYZE) already say the term is in FREQUENCY_CAP articles or
    more: counting it would read that many rows."""
    common = _statistics()
    return any(all(common.get(s, 0) >= FREQUENCY_CAP for s in alternative) for alternative in term.alternatives)


def _holders(term: vnquery.Term) -> int | None:
    """(PostgreSQL) About how many published articles hold the term: its count under
    FREQUENCY_CAP, else what the planner's statistics say (None when they do not know it)."""
    df = frequency(term)
    if df < FREQUENCY_CAP:
        return df
    common, total = _statistics(), 0
    for alternative in term.alternatives:
        if not all(s in common for s in alternative):
            return None
        total += min(common[s] for s in alternative)
    return int(total)


def _published() -> int:
    def count():
        from .models import Article, ArticleStatus

        return Article.objects.filter(status=ArticleStatus.PUBLISHED).count()
    return max(_remember(("published",), count), 1)


def _weights(terms) -> dict[tuple, float]:
    total = _published()
    return {_key(t): math.log(1 + total / (1 + frequency(t))) for t in _unique(terms)}


def rare_terms(terms: list[vnquery.Term]) -> list[vnquery.Term]:
    """The rarest terms whose articles add up to at most RARE_BUDGET (the rarest one at least);
    terms no article holds are left out."""
    chosen, spent = [], 0
    for df, term in sorted(((frequency(term), term) for term in _unique(terms)), key=lambda pair: pair[0]):
        if df == 0:
            continue
        if chosen and spent + df > RARE_BUDGET:
            break
        chosen.append(term)
        spent += df
    return chosen


# --- search --------------------------------------------------------------------------------

def search(*, text: str, topic_id: int | None = None, limit: int = 10, offset: int = 0) -> Page:
    """The page of hits for what was typed, best first, with the number of results."""
    query = vnquery.analyse(text)
    terms = _unique(query.terms)
    hits, seen, exact = [], set(), True
    if terms:
        weights = _weights(terms)
        windowed = [("all", terms)]
        if len(_phrase_syllables(query.terms)) > 1:
            windowed.insert(0, ("phrase", query.terms))
        for number, (mode, tier_terms) in enumerate(windowed, start=1 if len(windowed) == 2 else 2):
            match = _phrase(tier_terms) if mode == "phrase" else _match(mode, tier_terms)
            ids = [pk for pk in _window(match, topic_id) if pk not in seen]
            exact = exact and len(ids) < WINDOW
            full = len(hits) >= offset + limit  # counted, not shown: no need to score
            for pk, points in ([(pk, 0.0) for pk in ids] if full else _score_window(mode, query, weights, match, ids)):
                hits.append(Hit(article_id=pk, score=_score(number, points), tier=number))
            seen.update(ids)
        if len(terms) > 1:
            count, best, complete = _score_rare(rare_terms(terms), query, weights, topic_id, exclude=seen,
                                                want=max(0, offset + limit - len(hits)))
            exact = exact and complete
            shown = len(hits)
            hits += best
            total = shown + count
        else:
            total = len(hits)
    else:
        total = 0
    return Page(total=min(total, MAX_RESULTS), total_is_exact=exact and total <= MAX_RESULTS,
                hits=hits[offset:offset + limit] if offset < MAX_RESULTS else [], query=query)


def similar(*, text: str, limit: int = 5) -> list[Hit]:
    """Articles that share the rarest words of ``text`` (a case being typed, a whole paragraph)."""
    query = vnquery.analyse(text)
    terms = _unique(query.terms)
    if not terms:
        return []
    rare, weights = rare_terms(terms), _weights(terms)
    if len(rare) == 1:
        # A whole paragraph of common words: its "rarest" word is in thousands of articles and its
        # list is cut at RARE_BUDGET. Every article of a single list scores the same few points
        # (the word, in the question or not, side by side with itself or not), newest first among
        # equals: when the newest SIMILAR_FIRST already give ``limit`` articles of the highest
        # score, the older ones cannot come before them, and reading them (a walk of the table on
        # PostgreSQL) is spared.
        _count, best, complete = _score_rare(rare, query, weights, None, exclude=set(), want=limit,
                                             budget=SIMILAR_FIRST)
        if complete or (len(best) == limit and best[-1].score == _score(4, _most_points(rare[0], query, weights))):
            return best
    _count, best, _complete = _score_rare(rare, query, weights, None, exclude=set(), want=limit)
    return best


def _most_points(term, query, weights) -> float:
    """The points an article holding only ``term`` can score at most."""
    w = weights[_key(term)]
    pairs = [pair for pair in _adjacent_pairs(query) if all(_key(t) == _key(term) for t in pair)]
    return w + w * QUESTION_BONUS + len(pairs) * ADJACENT_BONUS * (w + w)


def _score(tier: int, points: float) -> float:
    """Higher is better: the tier first, then the points squashed into [0, 1)."""
    return round(4 - tier + points / (1.0 + points), 4)


def _adjacent_pairs(query) -> list[tuple[vnquery.Term, vnquery.Term]]:
    return list(zip(query.terms, query.terms[1:]))


def _phrase_syllables(terms) -> list[str]:
    """The query as typed, a syllable each (its terms' first alternatives)."""
    return [syllable for term in terms for syllable in term.alternatives[0]]


def _phrase(terms) -> str:
    """Every syllable adjacent and in order: every pair of adjacent syllables found as an indexed
    pair (Article.search_pairs), a lookup instead of a check of positions."""
    return vnquery.pairs(terms, connection.vendor) or _match("phrase", terms)


def _pair_match(first: vnquery.Term, second: vnquery.Term) -> str:
    pair = vnquery.Term(text=f"{first.text} {second.text}", alternatives=[first.alternatives[0] + second.alternatives[0]])
    return _phrase([pair])


def _score_window(mode, query, weights, match: str, ids: list[int]) -> list[tuple[int, float]]:
    """A window of tier 1 or 2, where every article holds every term: the tier's match found in
    the question alone adds every term's weight; in tier 2, two terms side by side as typed add
    half theirs. One query each, inside the window."""
    if len(ids) < 2:
        return [(pk, 0.0) for pk in ids]
    points = defaultdict(float)
    everything = sum(weights[_key(term)] for term in _unique(query.terms))
    for pk in _within(_in_question(_match("all", _unique(query.terms))), match, ids):
        points[pk] += everything * QUESTION_BONUS
    if mode != "phrase":
        for first, second in _adjacent_pairs(query):
            bonus = ADJACENT_BONUS * (weights[_key(first)] + weights[_key(second)])
            for pk in _within(_pair_match(first, second), match, ids):
                points[pk] += bonus
    newest = {pk: n for n, pk in enumerate(ids)}
    return sorted(((pk, points[pk]) for pk in ids), key=lambda pair: (-pair[1], newest[pair[0]]))


def _score_rare(rare, query, weights, topic_id, *, exclude: set, want: int,
                budget: int = RARE_BUDGET) -> tuple[int, list[Hit], bool]:
    """Tiers 3 and 4, scored whole: each rare term's newest ``budget`` articles (at most
    RARE_BUDGET in all), with the question and adjacency signals among them. Gives their number,
    the best ``want`` of them, and whether every term's list was read whole."""
    points, holds, complete = defaultdict(float), defaultdict(int), True
    keys = {_key(t) for t in rare}
    pairs = [(first, second) for first, second in _adjacent_pairs(query)
             if _key(first) in keys and _key(second) in keys] if want else []
    lists, in_question, adjacent = _rare_lists(rare, pairs, topic_id, signals=bool(want), budget=budget)
    for term, ids in zip(rare, lists):
        w = weights[_key(term)]
        complete = complete and len(ids) < budget
        for pk in ids:
            points[pk] += w
            holds[pk] += 1
            if pk in in_question[_key(term)]:
                points[pk] += w * QUESTION_BONUS
    for (first, second), found in zip(pairs, adjacent):
        for pk in found:
            points[pk] += ADJACENT_BONUS * (weights[_key(first)] + weights[_key(second)])
    found = [pk for pk in holds if pk not in exclude]
    best = heapq.nsmallest(want, found, key=lambda pk: (holds[pk] < 2, -points[pk], -pk))
    tier = {pk: 3 if holds[pk] >= 2 else 4 for pk in best}
    return len(found), [Hit(article_id=pk, score=_score(tier[pk], points[pk]), tier=tier[pk]) for pk in best], complete


def _rare_lists(rare, pairs, topic_id, *, signals: bool, budget: int) -> tuple[list[list[int]], dict, list[set[int]]]:
    """Each rare term's newest ``budget`` articles; with ``signals``, which of them hold the term
    in the question, and which hold each pair side by side.

    Only the articles of the lists are scored, so a signal matters only among them: SQLite reads
    each signal's own newest articles (a lookup in its index); PostgreSQL tests the signals on the
    rows it reads for the term, in the same query. There a signal read on its own was a second
    walk of the table, longer than the term's own: "container" in the question is rarer than
    "container" (a GIN index gives the rows holding a lexeme, not where it is, so a weight is
    checked on each row)."""
    in_question = {_key(term): set() for term in rare}
    adjacent = [set() for _pair in pairs]
    if _sqlite():
        lists = [_articles(_match("all", [term]), topic_id, budget) for term in rare]
        for term in rare if signals else []:
            in_question[_key(term)] = set(_articles(_in_question(_match("all", [term])), topic_id, budget))
        for number, (first, second) in enumerate(pairs):
            adjacent[number] = set(_articles(_pair_match(first, second), topic_id, budget))
        return lists, in_question, adjacent
    lists = []
    for term in rare:
        mine = [n for n, pair in enumerate(pairs) if _key(term) in map(_key, pair)] if signals else []
        tests = ([_in_question(_match("all", [term]))] if signals else []) + [_pair_match(*pairs[n]) for n in mine]
        rows = _articles_testing(_match("all", [term]), tests, topic_id, budget, _holders(term))
        lists.append([row[0] for row in rows])
        for row in rows:
            if signals and row[1]:
                in_question[_key(term)].add(row[0])
            for n, holds_pair in zip(mine, row[2:]):
                if holds_pair:
                    adjacent[n].add(row[0])
    return lists, in_question, adjacent


# --- the engines ---------------------------------------------------------------------------

def _match(mode: str, terms) -> str:
    return vnquery.fts5(terms, mode) if _sqlite() else vnquery.tsquery(terms, mode)


def _in_question(match: str) -> str:
    if _sqlite():
        return f"{{search_question}} : ({match})"
    # Lexemes of the question carry weight A (migration 0002).
    return vnquery.LEXEME.sub(lambda m: f"{m.group()}:A", match)


def _window(match: str, topic_id) -> list[int]:
    """The ids of the WINDOW newest articles matching, newest first."""
    return _articles(match, topic_id, limit=WINDOW)


def _articles(match: str, topic_id, limit: int = RARE_BUDGET, holders: int | None = None) -> list[int]:
    """The ids of the newest ``limit`` published articles matching, newest first (``holders``:
    about how many match, when known: _newest)."""
    if _sqlite():
        sql = ("SELECT f.rowid FROM knowledge_article_fts f "
               + ("JOIN knowledge_article a ON a.id = f.rowid " if topic_id else "")
               + "WHERE knowledge_article_fts MATCH %s" + (" AND a.topic_id = %s" if topic_id else "")
               + " ORDER BY f.rowid DESC LIMIT %s")
    else:
        sql = ("SELECT id FROM knowledge_article WHERE status = 'published' "
               "AND search_vector @@ %s::tsquery" + (" AND topic_id = %s" if topic_id else "")
               + _newest(limit, holders))
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *([topic_id] if topic_id else []), limit])
        return [row[0] for row in cursor.fetchall()]


def _newest(limit: int, holders: int | None) -> str:
    """(PostgreSQL) The ORDER BY of the newest ``limit`` matches of a term in about ``holders``
    articles. The planner either walks the primary key from the newest article, testing each
    one, or takes every match from the GIN index and reads each to sort them; it costs the test
    of a row as nothing, but the row's tsvector is read from TOAST (about 8 µs): walking to the
    2,000 newest of a term in 0.5 % of a million articles tests 400,000 rows (3 s) where the
    index gives its 5,000. So when the walk would test more rows than there are matches
    (limit ÷ share > holders), "id + 0" hides the order of the primary key from the planner."""
    if holders is not None and holders * holders < limit * _published():
        return " ORDER BY id + 0 DESC LIMIT %s"
    return " ORDER BY id DESC LIMIT %s"


def _articles_testing(match: str, tests: list[str], topic_id, limit: int = RARE_BUDGET,
                      holders: int | None = None) -> list[tuple]:
    """(PostgreSQL) The newest ``limit`` published articles matching, newest first: each an id
    and whether it matches each of ``tests``."""
    columns = "".join(", search_vector @@ %s::tsquery" for _test in tests)
    sql = (f"SELECT id{columns} FROM knowledge_article WHERE status = 'published' "
           "AND search_vector @@ %s::tsquery" + (" AND topic_id = %s" if topic_id else "")
           + _newest(limit, holders))
    with connection.cursor() as cursor:
        cursor.execute(sql, [*tests, match, *([topic_id] if topic_id else []), limit])
        return cursor.fetchall()


def _within(signal: str, match: str, ids: list[int]) -> set[int]:
    """The articles among ``ids`` (matches of ``match``) that also match ``signal``."""
    with connection.cursor() as cursor:
        if _sqlite():
            # Bounded by the window's rowids and, unless the signal implies it, ANDed with the
            # tier's own match, so that a common word does not read its whole list of articles.
            both = signal if signal.endswith(f"({match})") else f"({signal}) AND ({match})"
            cursor.execute("SELECT rowid FROM knowledge_article_fts WHERE knowledge_article_fts MATCH %s "
                           "AND rowid BETWEEN %s AND %s", [both, min(ids), max(ids)])
        else:
            cursor.execute("SELECT id FROM knowledge_article WHERE id = ANY(%s) "
                           "AND search_vector @@ %s::tsquery", [list(ids), signal])
        found = {row[0] for row in cursor.fetchall()}
    return found & set(ids)
