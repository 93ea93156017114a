"""Keeping the database's query planner informed.

SQLite plans queries from statistics that only ANALYZE writes; without them, on a large table it
may walk a whole unit's cases instead of the small index of open ones (60 ms instead of 5 ms on
300,000 cases: bench/RESULTS.md). A sampled ANALYZE costs a few milliseconds, so `ketnoi tick`
runs it every time. PostgreSQL's autovacuum keeps its statistics itself.
"""

from django.db import connection

# Rows sampled per index (SQLite's analysis_limit): enough for the planner, cheap at any size.
SQLITE_ANALYSIS_LIMIT = 1000


def refresh_query_statistics() -> str:
    if connection.vendor != "sqlite":
        return "kept by autovacuum"
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return "analyzed"
