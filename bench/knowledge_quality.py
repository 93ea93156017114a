"""Search quality of the Q&A (issue #4): recall@1 and recall@5 of queries typed the way
businesses type them, half of them without diacritics.

    .venv/bin/python bench/knowledge_quality.py [--engine sqlite|postgresql] [--misses]

The articles are the demo's hand-written Q&As (ketnoi/demo/data/knowledge_*.jsonl); the pairs
(query → the article that answers it) are bench/knowledge_eval_*.jsonl, written by the same
people as the articles but without copying their wording. A fresh database of the run's own
(temporary KETNOI_VAR_DIR or a throw-away PostgreSQL cluster); the articles are written
through the model, so the index is the one the platform keeps.
"""

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from cases import PostgresCluster  # noqa: E402  (bench/cases.py)

TARGET_RECALL_AT_5 = 0.9


def read_jsonl(pattern: str) -> list[dict]:
    rows = []
    for path in sorted(ROOT.glob(pattern)):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--misses", action="store_true", help="list the queries whose article is not in the top 5")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="ketnoi-bench-quality-"))
    cluster = None
    try:
        os.environ.update({"KETNOI_VAR_DIR": str(workdir / "var"), "DEBUG": "0", "DATABASE_URL": ""})
        if args.engine == "postgresql":
            cluster = PostgresCluster()
            os.environ["DATABASE_URL"] = cluster.start()
        os.environ["DJANGO_SETTINGS_MODULE"] = "ketnoi.settings"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return evaluate(args)
    finally:
        if cluster:
            from django.db import connections

            connections.close_all()
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def evaluate(args) -> int:
    from django.db import connection

    from ketnoi.cases.models import Topic
    from ketnoi.knowledge import search
    from ketnoi.knowledge.models import Article, ArticleStatus

    articles = read_jsonl("ketnoi/demo/data/knowledge_*.jsonl")
    pairs = read_jsonl("bench/knowledge_eval_*.jsonl")
    topics = dict(Topic.objects.values_list("code", "pk"))
    keys = {}
    for row in articles:
        article = Article.objects.create(question=row["question"], answer=row["answer"], topic_id=topics[row["topic"]],
                                         status=ArticleStatus.PUBLISHED)
        keys[row["key"]] = article.pk
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE knowledge_article")
    unknown = [p["article"] for p in pairs if p["article"] not in keys]
    if unknown:
        print(f"{len(unknown)} pairs name articles that do not exist: {unknown[:5]} …")
    pairs = [p for p in pairs if p["article"] in keys]
    print(f"{len(articles)} articles, {len(pairs)} query pairs ({sum(not p['diacritics'] for p in pairs)} "
          f"without diacritics), engine {connection.vendor}")

    results = {True: [], False: []}
    misses = []
    for pair in pairs:
        found = [hit.article_id for hit in search.search(text=pair["query"], limit=5).hits]
        wanted = keys[pair["article"]]
        rank = found.index(wanted) + 1 if wanted in found else None
        results[pair["diacritics"]].append(rank)
        if rank is None:
            misses.append(pair)
    ok = True
    print(f"\n{'queries':<28}{'n':>5}{'recall@1':>10}{'recall@5':>10}")
    for label, marks in [("with diacritics", True), ("without diacritics", False)]:
        ranks = results[marks]
        at1 = sum(r == 1 for r in ranks) / len(ranks) if ranks else 0.0
        at5 = sum(r is not None for r in ranks) / len(ranks) if ranks else 0.0
        ok = ok and at5 >= TARGET_RECALL_AT_5
        print(f"{label:<28}{len(ranks):>5}{at1:>10.2f}{at5:>10.2f}")
    every = results[True] + results[False]
    print(f"{'all':<28}{len(every):>5}{sum(r == 1 for r in every) / len(every):>10.2f}"
          f"{sum(r is not None for r in every) / len(every):>10.2f}")
    print(f"\nTarget recall@5 ≥ {TARGET_RECALL_AT_5} for both halves: {'met' if ok else 'MISSED'}")
    if args.misses:
        for pair in misses:
            print(f"  missed: {pair['query']!r} → {pair['article']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
