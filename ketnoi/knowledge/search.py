"""Full-text search of published articles on SQLite FTS5 and PostgreSQL tsvector.

Ranking is in tiers, each a set the next contains, so a result that has more of what was typed
always comes first, whatever the engine's score says:

1. every syllable, adjacent and in order (the query as a phrase);
2. every term (a term matches through any of its alternatives: "NK" or "nhập khẩu");
3. some terms: the query typed the way businesses type it ("C/O form E nộp bản chụp được ko")
   often has a word the answer does not use, so not every term can be required. This tier takes
   the rarest terms (fewest documents) whose documents add up to at most ANY_BUDGET, so that
   common syllables ("hải", "quan") do not turn it into a scan of the whole index.

Within a tier, articles are ranked by the engine (bm25 on SQLite, ts_rank on PostgreSQL, the
question weighted above the answer) when the tier has at most RANK_LIMIT matches; a larger tier
is ordered newest first, because ranking costs time in proportion to the matches (STACK.md).
Counts stop at COUNT_LIMIT: beyond it, ``total`` says "at least".
"""

from dataclasses import dataclass
from functools import lru_cache
import time

from django.db import connection

from ketnoi.lib import vnquery

RANK_LIMIT = 5_000
COUNT_LIMIT = 10_000
ANY_BUDGET = 20_000
# Weights of the question and answer columns in bm25 (SQLite); PostgreSQL's are set by
# the A/B weights of the tsvector column (migration 0002) and ts_rank's defaults.
QUESTION_WEIGHT, ANSWER_WEIGHT = 3.0, 1.0


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


def _vendor() -> str:
    return connection.vendor


def tiers(query: vnquery.Query) -> list[tuple[str, list]]:
    """(mode, terms) of each tier worth running for this query, best first."""
    terms = query.terms
    if not terms:
        return []
    result = []
    if len(terms) > 1 or any(len(alternative) > 1 for alternative in terms[0].alternatives[:1]):
        result.append(("phrase", terms))
    result.append(("all", terms))
    if len(terms) > 1:
        rare = _rarest_terms(terms)
        if rare:
            result.append(("any", rare))
    return result


def _rarest_terms(terms: list[vnquery.Term]) -> list[vnquery.Term]:
    """The rarest terms whose document frequencies add up to at most ANY_BUDGET (at least one)."""
    frequencies = document_frequencies({s for term in terms for alt in term.alternatives for s in alt})

    def frequency(term):
        # A phrase alternative is at most as frequent as its rarest syllable.
        return sum(min(frequencies.get(s, 0) for s in alternative) for alternative in term.alternatives)

    unique = list({tuple(term.alternatives): term for term in terms}.values())
    chosen, spent = [], 0
    for term in sorted(unique, key=frequency):
        df = frequency(term)
        if df == 0:
            continue
        if chosen and spent + df > ANY_BUDGET:
            break
        chosen.append(term)
        spent += df
    return chosen


def document_frequencies(syllables: set[str]) -> dict[str, int]:
    """How many published articles hold each syllable (an estimate on PostgreSQL)."""
    if not syllables:
        return {}
    if _vendor() == "sqlite":
        with connection.cursor() as cursor:
            marks = ",".join("%s" for _ in syllables)
            cursor.execute(f"SELECT term, doc FROM knowledge_article_vocab WHERE term IN ({marks})", list(syllables))
            return dict(cursor.fetchall())
    return _postgresql_frequencies(syllables)


def _postgresql_frequencies(syllables: set[str]) -> dict[str, int]:
    # The planner's statistics of the tsvector column list its most common lexemes with their
    # share of rows (refreshed by ANALYZE); a lexeme not in the list is rarer than all of them.
    # Without statistics yet (a new table), every lexeme counts as rare. Never 0: on PostgreSQL
    # an estimate cannot tell that a lexeme is absent.
    common, rows, floor = _postgresql_lexeme_statistics()
    return {s: max(1, int(common.get(s, floor) * rows)) for s in syllables}


@lru_cache(maxsize=1)
def _postgresql_lexeme_statistics_cached(_minute: int):
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
              FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename
             WHERE s.tablename = 'knowledge_article' AND s.attname = 'search_vector'""")
        row = cursor.fetchone()
    if not row or not row[0]:
        return {}, 0, 0.0
    lexemes, freqs, rows = row
    # most_common_elem_freqs ends with min, max and the frequency of nulls; a lexeme not listed
    # is below the minimum.
    return dict(zip(lexemes, freqs)), max(rows, 0), freqs[len(lexemes)] / 2


def _postgresql_lexeme_statistics():
    return _postgresql_lexeme_statistics_cached(int(time.time() // 60))


def search(*, text: str, topic_id: int | None = None, limit: int = 10, offset: int = 0) -> Page:
    """The page of hits for what was typed, best first, with the number of matches."""
    query = vnquery.analyse(text)
    hits, total, exact, seen = [], 0, True, []
    skip = offset
    for number, (mode, terms) in enumerate(tiers(query), start=1):
        expression = _expression(mode, terms, exclude=seen)
        count, counted_all = _count(expression, topic_id)
        exact = exact and counted_all
        total += count
        seen.append((mode, terms))
        if count == 0:
            continue
        if skip >= count:
            skip -= count
            continue
        want = limit - len(hits)
        if want > 0:
            rows = _rows(expression, topic_id, ranked=count <= RANK_LIMIT, limit=want, offset=skip)
            hits += [Hit(article_id=pk, score=_score(number, rank), tier=number) for pk, rank in rows]
        skip = 0
        if len(hits) >= limit and not counted_all:
            break
    return Page(total=total, total_is_exact=exact, hits=hits[:limit], query=query)


def _score(tier: int, rank: float | None) -> float:
    """Higher is better: the tier first, then the engine's relevance squashed into (0, 1)."""
    relevance = 0.5 if rank is None else rank / (1.0 + rank)
    return round(4 - tier + relevance, 4)


# -- engine-specific SQL -------------------------------------------------------------------------

def _expression(mode: str, terms, *, exclude) -> tuple:
    """The engine's match expression for a tier, minus the tiers before it."""
    if _vendor() == "sqlite":
        expression = vnquery.fts5(terms, mode)
        for earlier_mode, earlier_terms in exclude:
            expression = f"({expression}) NOT ({vnquery.fts5(earlier_terms, earlier_mode)})"
        return ("sqlite", expression)
    expression = vnquery.tsquery(terms, mode)
    for earlier_mode, earlier_terms in exclude:
        expression = f"({expression}) & !({vnquery.tsquery(earlier_terms, earlier_mode)})"
    return ("postgresql", expression)


def _count(expression, topic_id) -> tuple[int, bool]:
    engine, match = expression
    if engine == "sqlite":
        sql = ("SELECT count(*) FROM (SELECT 1 FROM knowledge_article_fts f "
               + ("JOIN knowledge_article a ON a.id = f.rowid " if topic_id else "")
               + "WHERE knowledge_article_fts MATCH %s" + (" AND a.topic_id = %s" if topic_id else "")
               + " LIMIT %s)")
    else:
        sql = ("SELECT count(*) FROM (SELECT 1 FROM knowledge_article "
               "WHERE status = 'published' AND search_vector @@ to_tsquery('simple', %s)"
               + (" AND topic_id = %s" if topic_id else "") + " LIMIT %s) t")
    params = [match, *([topic_id] if topic_id else []), COUNT_LIMIT + 1]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        count = cursor.fetchone()[0]
    return min(count, COUNT_LIMIT), count <= COUNT_LIMIT


def _rows(expression, topic_id, *, ranked: bool, limit: int, offset: int) -> list[tuple[int, float | None]]:
    engine, match = expression
    topic_join = "JOIN knowledge_article a ON a.id = f.rowid " if topic_id and engine == "sqlite" else ""
    topic_where = (" AND a.topic_id = %s" if engine == "sqlite" else " AND topic_id = %s") if topic_id else ""
    if engine == "sqlite":
        rank = f"-bm25(knowledge_article_fts, {QUESTION_WEIGHT}, {ANSWER_WEIGHT})" if ranked else "NULL"
        order = "2 DESC" if ranked else "f.rowid DESC"
        sql = (f"SELECT f.rowid, {rank} FROM knowledge_article_fts f {topic_join}"
               f"WHERE knowledge_article_fts MATCH %s{topic_where} ORDER BY {order} LIMIT %s OFFSET %s")
        params = [match, *([topic_id] if topic_id else []), limit, offset]
    else:
        rank = "ts_rank(search_vector, to_tsquery('simple', %s))" if ranked else "NULL"
        order = "2 DESC, id DESC" if ranked else "id DESC"
        sql = (f"SELECT id, {rank} FROM knowledge_article WHERE status = 'published' "
               f"AND search_vector @@ to_tsquery('simple', %s){topic_where} ORDER BY {order} LIMIT %s OFFSET %s")
        params = [*([match] if ranked else []), match, *([topic_id] if topic_id else []), limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(pk, None if rank is None else float(rank)) for pk, rank in cursor.fetchall()]


def similar(*, text: str, limit: int = 5) -> list[Hit]:
    """Articles that share the rarest words of ``text`` (a case being typed, a whole paragraph),
    ranked by the engine."""
    query = vnquery.analyse(text)
    rare = _rarest_terms(query.terms)
    if not rare:
        return []
    expression = _expression("any", rare, exclude=())
    count, _exact = _count(expression, None)
    rows = _rows(expression, None, ranked=count <= RANK_LIMIT, limit=limit, offset=0)
    return [Hit(article_id=pk, score=_score(3, rank), tier=3) for pk, rank in rows]
