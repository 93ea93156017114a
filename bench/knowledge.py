"""Benchmark of the Q&A search (issue #4): 1,000,000 articles, search and similar questions
in-process, against a plain `icontains` query in the same run.

    .venv/bin/python bench/knowledge.py --engine sqlite --articles 1000000
    .venv/bin/python bench/knowledge.py --engine postgresql --articles 1000000
    .venv/bin/python bench/knowledge.py --engine postgresql --postgres postgres://postgres@127.0.0.1:55432/NAME

One run, on a database of its own (a temporary KETNOI_VAR_DIR; for PostgreSQL a throw-away
cluster as in bench/cases.py, or with --postgres a database of a running server, created if
absent, loaded once and measured again on every later run: loading a million takes 20 minutes):

1. migrate; N published articles written in bulk, composed from the sentences of the demo's
   hand-written Q&As (ketnoi/demo/data/knowledge_*.jsonl) and of the demo cases' texts
   (ketnoi/demo/data_cases.py), with the goods, units, numbers and dates varied: realistic
   length (a question of 2–4 sentences, an answer of 3–6) and the trade's vocabulary. The index
   is written as the rows are (SQLite triggers) or built after the load (PostgreSQL GIN index);
   the index build is also timed on its own (FTS5 'rebuild' / CREATE INDEX).
2. Queries of 2–4 syllables cut from articles at random, half typed without diacritics; each run
   through `knowledge.search.search` (the tiers and counts the page and API use) and through
   `knowledge.selectors.article_search` (plus fetching the articles and their highlighted
   snippets); similar questions (`selectors.similar_articles`) for whole case descriptions.
3. The same queries as `question__icontains | answer__icontains` (newest 10), fewer of them
   since each scans the table.
4. Prints p50/p95 of each, the speed-up over icontains and the targets (search p95 ≤ 30 ms on
   SQLite, ≥ 100× faster than icontains; similar questions p95 ≤ 50 ms).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from cases import PostgresCluster, machine_line  # noqa: E402  (bench/cases.py)

SEARCH_P95_MS = 30
SPEEDUP = 100
SIMILAR_P95_MS = 50
BATCH = 5_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--icontains-queries", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (and database)")
    parser.add_argument("--reuse", metavar="FOLDER", help="(SQLite) measure again on a folder kept by --keep")
    parser.add_argument("--postgres", metavar="URL", help="(PostgreSQL) a database of a running server instead of "
                        "a throw-away cluster: created if absent, loaded if it holds no article, else measured again")
    args = parser.parse_args()

    workdir = Path(args.reuse) if args.reuse else Path(tempfile.mkdtemp(prefix=f"ketnoi-bench-knowledge-{args.engine}-"))
    args.keep = args.keep or bool(args.reuse)
    cluster = None
    started = time.monotonic()
    try:
        os.environ.update({"KETNOI_VAR_DIR": str(workdir / "var"), "DEBUG": "0", "DATABASE_URL": ""})
        if args.engine == "postgresql" and args.postgres:
            os.environ["DATABASE_URL"] = args.postgres
            create_database(args.postgres)
        elif args.engine == "postgresql":
            cluster = PostgresCluster()
            os.environ["DATABASE_URL"] = cluster.start()
        os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
        import django

        django.setup()
        from django.core.management import call_command

        print(machine_line(args.engine).replace("bench/cases.py", "bench/knowledge.py"))
        call_command("migrate", verbosity=0)
        rng = random.Random(args.seed)
        corpus = Corpus(rng)
        print(f"corpus: {len(corpus.questions):,} question sentences, {len(corpus.answers):,} answer sentences "
              f"from {corpus.sources}")
        if args.postgres and loaded():
            print(f"measured again: {loaded():,} articles already in {args.postgres}")
        elif not args.reuse:
            load_seconds = load(args.engine, args.articles, corpus)
            # On a kept database the build alone is not timed again: it would add minutes to the load.
            build = "not timed" if args.postgres else f"{rebuild(args.engine):.1f} s"
            print(f"loaded {args.articles:,} articles in {load_seconds:.0f} s (index written with the rows); "
                  f"index build alone: {build}")
        print(table_size(args.engine))
        measure(args, rng)
        print(f"\nwhole run: {time.monotonic() - started:.0f} s")
        return 0
    finally:
        if cluster:
            from django.db import connections

            connections.close_all()
            cluster.stop()
        if args.keep:
            print(f"kept: {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def create_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def loaded() -> int:
    from ketnoi.knowledge.models import Article

    return Article.objects.count()


class Corpus:
    """Sentences of real-looking questions and answers, with their variable parts to vary."""

    def __init__(self, rng: random.Random):
        from ketnoi.demo import data_cases as text

        self.rng = rng
        questions, answers, files = [], [], 0
        for path in sorted((ROOT / "ketnoi" / "demo" / "data").glob("knowledge_*.jsonl")):
            files += 1
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    questions += _sentences(row["question"])
                    answers += _sentences(row["answer"])
        fill = {"goods": "{goods}", "hs": "{hs}", "decl": "{decl}", "decl2": "{decl}", "date": "{date}",
                "date2": "{date}", "received": "{date}", "unit": "{unit}", "port": "{port}"}
        for templates in text.CASES.values():
            for subject, situation, _answer in templates:
                questions += _sentences(_partial(situation, fill))
        for templates in text.ANSWERS.values():
            for answer in templates:
                answers += _sentences(_partial(answer, fill))
        self.questions, self.answers = questions, answers
        self.sources = f"{files} demo Q&A files and the demo cases' templates"
        self.goods = [g[0] for g in text.GOODS]
        self.hs = [g[1] for g in text.GOODS]
        self.ports = text.PORTS
        self.units = ["Chi cục Hải quan cửa khẩu cảng Sài Gòn khu vực I", "Chi cục Hải quan KCX Tân Thuận",
                      "Chi cục Hải quan cửa khẩu sân bay quốc tế Tân Sơn Nhất", "Chi cục Hải quan KCX Linh Trung",
                      "Chi cục Hải quan quản lý hàng đầu tư", "Chi cục Hải quan chuyển phát nhanh"]

    def _vary(self, sentence: str) -> str:
        rng = self.rng
        return (sentence.replace("{goods}", rng.choice(self.goods)).replace("{hs}", rng.choice(self.hs))
                .replace("{decl}", f"10{rng.randrange(10**10):010d}")
                .replace("{date}", f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2016, 2026)}")
                .replace("{unit}", rng.choice(self.units)).replace("{port}", rng.choice(self.ports)))

    def article(self) -> tuple[str, str]:
        rng = self.rng
        question = " ".join(self._vary(s) for s in rng.sample(self.questions, rng.randint(2, 4)))
        answer = " ".join(self._vary(s) for s in rng.sample(self.answers, rng.randint(3, 6)))
        return question, answer


def _sentences(text: str) -> list[str]:
    import re

    return [s.strip() for s in re.split(r"(?<=[.?!])\s+", text.replace("\n", " ")) if len(s.strip()) > 20]


def _partial(template: str, fill: dict) -> str:
    import re

    return re.sub(r"\{(\w+)\}", lambda m: fill.get(m.group(1), ""), template)


def load(engine: str, count: int, corpus: Corpus) -> float:
    from django.db import connection, transaction
    from tqdm import tqdm

    from ketnoi.cases.models import Topic
    from ketnoi.lib.vnquery import pair_tokens
    from ketnoi.lib.vntext import syllables

    topics = list(Topic.objects.values_list("pk", flat=True))
    rng = corpus.rng
    start = datetime(2016, 1, 1, tzinfo=timezone.utc)
    columns = ("question, answer, search_question, search_answer, search_pairs, topic_id, status, needs_review, "
               "review_reason, helpful_yes, helpful_no, views, published_at, created_at, updated_at")
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX knowledge_article_search")
    began = time.monotonic()
    with tqdm(total=count, unit="article", desc="articles", mininterval=2) as bar:
        for first in range(0, count, BATCH):
            rows = []
            for n in range(first, min(count, first + BATCH)):
                question, answer = corpus.article()
                at = start + timedelta(minutes=5 * n)
                # What Article.save() writes (ketnoi.knowledge.models).
                q, a = syllables(question), syllables(answer)
                rows.append((question, answer, " ".join(q), " ".join(a), " ".join(pair_tokens(q) + pair_tokens(a)),
                             rng.choice(topics), "published", False, "", rng.randint(0, 9), rng.randint(0, 3),
                             rng.randint(0, 500), at, at, at))
            with transaction.atomic(), connection.cursor() as cursor:
                if engine == "postgresql":
                    with cursor.cursor.copy(f"COPY knowledge_article ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                else:
                    marks = ", ".join(["%s"] * 15)
                    cursor.executemany(f"INSERT INTO knowledge_article ({columns}) VALUES ({marks})", rows)
            bar.update(len(rows))
    if engine == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("""CREATE INDEX knowledge_article_search ON knowledge_article USING gin (search_vector)
                              WHERE status = 'published'""")
            cursor.execute("VACUUM ANALYZE knowledge_article")
    else:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    return time.monotonic() - began


def rebuild(engine: str) -> float:
    """The index built again from the rows alone."""
    from django.db import connection

    began = time.monotonic()
    with connection.cursor() as cursor:
        if engine == "sqlite":
            cursor.execute("INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('rebuild')")
        else:
            cursor.execute("REINDEX INDEX knowledge_article_search")
    return time.monotonic() - began


def table_size(engine: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if engine == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            return f"database file {pages * cursor.fetchone()[0] / 2**30:.2f} GiB"
        cursor.execute("SELECT pg_total_relation_size('knowledge_article'), pg_relation_size('knowledge_article_search')")
        table, index = cursor.fetchone()
        return f"table with its indexes {table / 2**30:.2f} GiB, of which the GIN index {index / 2**30:.2f} GiB"


def queries(rng: random.Random, n: int) -> list[tuple[str, bool]]:
    """2–4-syllable queries cut from random articles; every other one without diacritics."""
    from ketnoi.knowledge.models import Article
    from ketnoi.lib.vntext import fold

    top = Article.objects.order_by("-id").values_list("id", flat=True).first()
    result = []
    while len(result) < n:
        article = Article.objects.filter(id=rng.randint(1, top)).values_list("question", "answer").first()
        if not article:
            continue
        words = [w.strip(".,;:()“”\"'") for w in rng.choice(article).split()]
        words = [w for w in words if w and w.isalpha()]
        size = rng.randint(2, 4)
        if len(words) < size:
            continue
        at = rng.randrange(len(words) - size + 1)
        query = " ".join(words[at:at + size]).lower()
        typed_plain = len(result) % 2 == 1
        result.append((fold(query) if typed_plain else query, typed_plain))
    return result


def timed(function, items) -> list[float]:
    times = []
    for item in items:
        began = time.perf_counter()
        function(item)
        times.append((time.perf_counter() - began) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def line(name: str, values: list[float]) -> str:
    return (f"  {name:<44} n={len(values):>4}  p50 {statistics.median(values):7.1f} ms  "
            f"p95 {pct(values, 95):7.1f} ms  max {max(values):7.1f} ms")


def measure(args, rng: random.Random) -> None:
    from django.db.models import Q

    from ketnoi.demo import data_cases
    from ketnoi.knowledge import search, selectors
    from ketnoi.knowledge.models import Article

    chosen = queries(rng, args.queries)
    # Warm the caches as a serving process would be warm.
    for query, _plain in chosen[:20]:
        search.search(text=query)
    with_marks = [q for q, plain in chosen if not plain]
    plain = [q for q, plain in chosen if plain]
    print(f"\nsearch, {len(chosen)} queries of 2–4 syllables (e.g. {with_marks[0]!r}, {plain[0]!r})")
    core_marks = timed(lambda q: search.search(text=q, limit=10), with_marks)
    core_plain = timed(lambda q: search.search(text=q, limit=10), plain)
    print(line("search.search, with diacritics", core_marks))
    print(line("search.search, without diacritics", core_plain))
    page = timed(lambda q: selectors.article_search(text=q, limit=10), [q for q, _ in chosen])
    print(line("selectors.article_search (+ rows, snippets)", page))
    totals = [search.search(text=q).total for q, _ in chosen[:50]]
    print(f"  matches per query (first 50): median {statistics.median(totals):,.0f}, max {max(totals):,}")

    situations = [s for templates in data_cases.CASES.values() for _subject, s, _a in templates]
    texts = [_partial(rng.choice(situations), {}) for _ in range(200)]
    similar = timed(lambda t: selectors.similar_articles(text=t, limit=5), texts)
    print(line("similar questions (a case's description)", similar))

    similar_p95 = pct(similar, 95)
    slow = [q for q, _ in chosen[: args.icontains_queries]]
    if not slow:  # --icontains-queries 0: each takes half a minute on PostgreSQL
        print(f"\nTarget: similar questions p95 {similar_p95:.1f} ms (≤ {SIMILAR_P95_MS} ms): "
              f"{'met' if similar_p95 <= SIMILAR_P95_MS else 'MISSED'}")
        return
    baseline = timed(lambda q: list(Article.objects.filter(status="published").filter(
        Q(question__icontains=q) | Q(answer__icontains=q)).order_by("-id").values_list("id", flat=True)[:10]), slow)
    fast = timed(lambda q: search.search(text=q, limit=10), slow)
    print(line("icontains (question or answer), newest 10", baseline))
    print(line("search.search, the same queries", fast))

    search_p95 = pct(core_marks + core_plain, 95)
    speedup = statistics.median(baseline) / statistics.median(fast)
    print("\nTargets")
    print(f"  search p95 {search_p95:.1f} ms (≤ {SEARCH_P95_MS} ms on SQLite): "
          f"{'met' if search_p95 <= SEARCH_P95_MS else 'MISSED'}")
    print(f"  speed-up over icontains (median ÷ median): {speedup:,.0f}× (≥ {SPEEDUP}×): "
          f"{'met' if speedup >= SPEEDUP else 'MISSED'}")
    print(f"  similar questions p95 {similar_p95:.1f} ms (≤ {SIMILAR_P95_MS} ms): "
          f"{'met' if similar_p95 <= SIMILAR_P95_MS else 'MISSED'}")


if __name__ == "__main__":
    sys.exit(main())
