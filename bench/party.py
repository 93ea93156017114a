"""Benchmark: badge eligibility and five-year commendation candidates at department and national
scale (ketnoi.party.awards), on SQLite and PostgreSQL. A script, not a test: it prints its figures.

    # 1,000 members on SQLite (a database of its own under /tmp/bench-party-sqlite-1000)
    .venv/bin/python bench/party.py --engine sqlite --members 1000
    # 5,600,000 members on PostgreSQL (database ketnoi_bench_party_5600000 on the server of DATABASE_URL)
    DATABASE_URL=postgres://postgres@127.0.0.1:55432/postgres nice .venv/bin/python bench/party.py \
        --engine postgresql --members 5600000

The data is generated inside the database (INSERT … SELECT over generate_series on PostgreSQL, a
recursive CTE on SQLite): admissions 1950–2025 with more members in recent years, ~2 % with a
period outside the Party, ~0.1 % seriously ill, ~2 % deceased, the badges each member had reached
by 3/2/2025 already awarded, ratings 2021–2025 (~5 % of members Xuất sắc every year, ~15 % in
any one year). ``--reuse`` measures an already loaded database again.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ON = date(2026, 2, 3)  # the occasion measured
YEAR = 2025  # the year of the commendation candidates
LAST_ROUND = date(2025, 2, 3)  # badges already awarded up to this occasion
BENCH_DB = "ketnoi_bench_party_{members}"  # one database per size


def configure(engine: str, members: int) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    if engine == "sqlite":
        os.environ.pop("DATABASE_URL", None)
        os.environ["KETNOI_VAR_DIR"] = f"/tmp/bench-party-sqlite-{members}"
        Path(os.environ["KETNOI_VAR_DIR"]).mkdir(parents=True, exist_ok=True)
    else:
        url = urlparse(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:55432/postgres"))
        import psycopg

        admin = urlunparse(url._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            name = BENCH_DB.format(members=members)
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = urlunparse(url._replace(path=f"/{name}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ketnoi.settings")
    import django

    django.setup()


def _series(engine: str, n: int) -> str:
    """A table expression of i = 1..n."""
    if engine == "postgresql":
        return f"generate_series(1, {n}) AS s(i)"
    return f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n}) SELECT i FROM s) AS s"


def _sql(engine: str):
    """Engine-specific expressions: a uniform number in [0, 1), a date plus days, true/false, and
    lib.badges.day_key of a date column."""
    if engine == "postgresql":
        return dict(rand="random()", day=lambda base, days: f"(DATE '{base}' + ({days})::int)",
                    true="true", false="false", now="now()",
                    day_key=lambda d: f"((extract(year from {d}) * 12 + extract(month from {d})) * 32 "
                                      f"+ extract(day from {d}))::int")
    return dict(rand="((random() / 18446744073709551616.0) + 0.5)",
                day=lambda base, days: f"date('{base}', '+' || CAST({days} AS INTEGER) || ' days')",
                true="1", false="0", now="datetime('now')",
                day_key=lambda d: f"((CAST(strftime('%Y', {d}) AS INTEGER) * 12 + CAST(strftime('%m', {d}) AS INTEGER))"
                                  f" * 32 + CAST(strftime('%d', {d}) AS INTEGER))")


def load(engine: str, n: int) -> float:
    from django.core.management import call_command
    from django.db import connection

    from ketnoi.lib import badges as badge_rules
    from ketnoi.party import services
    from ketnoi.party.models import Member

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    x = _sql(engine)
    rand, day = x["rand"], x["day"]
    organisations = max(1, n // 40)
    with connection.cursor() as c:
        dropped = _drop_indexes(c, engine)
        for table in ("party_commendation", "party_rating", "party_badgeaward", "party_gap", "party_member",
                      "party_organisation"):
            c.execute(f"DELETE FROM {table}")
        c.execute("INSERT INTO party_organisation (id, kind, name, short_name, parent_id, founded_on, change) "
                  "VALUES (1, 'upper_grassroots_committee', 'Đảng bộ khối', '', NULL, '1975-05-01', '')")
        c.execute(f"INSERT INTO party_organisation (id, kind, name, short_name, parent_id, founded_on, change) "
                  f"SELECT i + 1, 'grassroots_cell', 'Chi bộ cơ sở số ' || i, '', 1, '1990-01-01', '' "
                  f"FROM {_series(engine, organisations)}")
        # Admission: 1950-01-01 + 27,759 days × sqrt(u): density rising towards 2025.
        admitted = day("1950-01-01", f"floor(27759 * sqrt({rand}))")
        c.execute(f"""
            INSERT INTO party_member (id, full_name, name_folded, gender, born_on, admission_decision_on, admitted_on,
                full_member_on, card_number, organisation_id, position, status, died_on, seriously_ill, has_gaps,
                badge_delay_months, badge_key, badge_held, created_at, updated_at)
            SELECT i, 'Đảng viên ' || i, 'dang vien ' || i, CASE WHEN i % 2 = 0 THEN 'male' ELSE 'female' END, '1960-01-01',
                a, a, NULL, 'T' || i, 2 + i % {organisations}, '',
                CASE WHEN i % 50 = 7 THEN 'deceased' WHEN i % 100 = 3 THEN 'transferred_out' ELSE 'active' END,
                CASE WHEN i % 50 = 7 THEN {day("2024-06-01", f"floor(700 * {rand})")} END,
                CASE WHEN i % 1000 = 11 THEN {x["true"]} ELSE {x["false"]} END,
                CASE WHEN i % 50 = 1 THEN {x["true"]} ELSE {x["false"]} END,
                0, {x["day_key"]("a")}, 0, {x["now"]}, {x["now"]}
            FROM (SELECT i, {admitted} AS a FROM {_series(engine, n)}) AS m""")
        # SQLite may evaluate the subquery's random admission once per use: make the two agree.
        c.execute("UPDATE party_member SET admitted_on = admission_decision_on, "
                  f"badge_key = {x['day_key']('admission_decision_on')} WHERE admitted_on <> admission_decision_on")
        c.execute(f"""
            INSERT INTO party_gap (member_id, start, "end", reason, rehabilitated, note)
            SELECT id, {day_from("admitted_on", "30 + floor(3000 * " + rand + ")", engine)},
                   {day_from("admitted_on", "3100 + floor(900 * " + rand + ")", engine)}, 'transfer', {x["false"]}, ''
            FROM party_member WHERE has_gaps""")
        # The delay and badge key of those with gaps (lib.badges), as the services keep them.
        services.members_reckon_absence(members=Member.objects.filter(has_gaps=True))
        # The badge each member without gaps had reached by the last round, already awarded.
        excluded_45 = badge_rules.threshold_cutoff(badge_rules.FORTY_FIVE_INTRODUCED_ON,
                                                   badge_rules.FORTY_FIVE_EXCLUDED_FROM_YEARS)
        whens = " ".join(
            f"WHEN admitted_on <= '{badge_rules.threshold_cutoff(LAST_ROUND, t)}'"
            + (f" AND admitted_on > '{excluded_45}'" if t == badge_rules.FORTY_FIVE else "") + f" THEN {t}"
            for t in sorted(badge_rules.THRESHOLDS, reverse=True))
        c.execute(f"""
            INSERT INTO party_badgeaward (member_id, threshold, decision_number, decided_on, occasion, early_ground)
            SELECT id, CASE {whens} END, 'QĐ-' || id, '{LAST_ROUND}', '{LAST_ROUND}', ''
            FROM party_member WHERE NOT has_gaps
              AND admitted_on <= '{badge_rules.threshold_cutoff(LAST_ROUND, 30)}'""")
        # Members with a gap hold the badge reached with the gap's length added to their admission.
        shifted = ("(m.admitted_on + (g.\"end\" - g.start))" if engine == "postgresql" else
                   "date(m.admitted_on, '+' || CAST(julianday(g.\"end\") - julianday(g.start) AS INTEGER) || ' days')")
        c.execute(f"""
            INSERT INTO party_badgeaward (member_id, threshold, decision_number, decided_on, occasion, early_ground)
            SELECT id, t, 'QĐ-' || id, '{LAST_ROUND}', '{LAST_ROUND}', ''
            FROM (SELECT m.id, CASE {whens.replace("admitted_on", "s")} END AS t
                  FROM (SELECT m.id, {shifted} AS s FROM party_member m JOIN party_gap g ON g.member_id = m.id) AS m)
                 AS x WHERE t IS NOT NULL""")
        # The highest badge held and the key of the next one (lib.badges.next_badge_key).
        services.members_reckon_badges(members=Member.objects.all())
        for year in range(YEAR - 4, YEAR + 1):
            c.execute(f"""
                INSERT INTO party_rating (year, member_id, level, note)
                SELECT {year}, id, CASE WHEN id % 20 = 0 THEN 'xuat_sac' ELSE
                    (CASE WHEN u < 0.11 THEN 'xuat_sac' WHEN u < 0.75 THEN 'tot' WHEN u < 0.98 THEN 'hoan_thanh'
                          ELSE 'khong_hoan_thanh' END) END, ''
                FROM (SELECT id, {rand} AS u FROM party_member WHERE admitted_on < '{year}-10-01') AS m""")
        for definition in dropped:
            c.execute(definition)
        c.execute("ANALYZE")
        if engine == "postgresql":
            c.execute("SELECT setval(pg_get_serial_sequence('party_member', 'id'), (SELECT max(id) FROM party_member))")
    return time.perf_counter() - started


def _drop_indexes(c, engine: str) -> list[str]:
    """Load without the secondary indexes that back no constraint (on PostgreSQL, also without
    the FK triggers: session_replication_role); returns the statements that build them again."""
    if engine == "postgresql":
        c.execute("SET session_replication_role = replica")
        c.execute("""
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename IN ('party_member', 'party_rating', 'party_badgeaward', 'party_gap')
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = (quote_ident(i.indexname))::regclass)""")
    else:  # SQLite: the ratings' only (26 M rows); the loader's own queries need the others
        c.execute("""
            SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%'
              AND tbl_name = 'party_rating'""")
    rows = c.fetchall()
    for name, _definition in rows:
        c.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def day_from(column: str, days: str, engine: str) -> str:
    if engine == "postgresql":
        return f"({column} + ({days})::int)"
    return f"date({column}, '+' || CAST({days} AS INTEGER) || ' days')"


def measure(label: str, call, runs: int) -> None:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"  {label:<46} p50 {statistics.median(times):>9.1f} ms   p95 {p95:>9.1f} ms   "
          f"({runs} runs, {len(result)} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=0, help="default 15 for small data, 5 for large")
    parser.add_argument("--reuse", action="store_true", help="measure the database loaded before")
    parser.add_argument("--no-jit", action="store_true",
                        help="PostgreSQL: jit=off for the session (JIT compiling costs more than it saves here)")
    args = parser.parse_args()
    if args.no_jit:
        os.environ["PGOPTIONS"] = (os.environ.get("PGOPTIONS", "") + " -c jit=off").strip()
    runs = args.runs or (15 if args.members <= 100_000 else 5)
    configure(args.engine, args.members)

    from django.db import connection

    from ketnoi.accounts.access import Principal
    from ketnoi.accounts.models import Role
    from ketnoi.lib import commendation as commendation_rules
    from ketnoi.party import awards
    from ketnoi.party.models import Member, Rating

    if not args.reuse:
        seconds = load(args.engine, args.members)
        print(f"loaded {args.members:,} members in {seconds:.1f} s")
    counts = {
        "members": Member.objects.count(),
        "with gaps": Member.objects.filter(has_gaps=True).count(),
        "ratings": Rating.objects.count(),
    }
    jit = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SHOW jit")
            jit = f" (jit {c.fetchone()[0]})"
    print(f"{connection.vendor} {connection.settings_dict['NAME']}{jit}: "
          + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    office = Principal(user_id=1, roles=frozenset({Role.PARTY_OFFICE}))
    measure(f"badge eligibility on {ON:%d/%m/%Y}", lambda: awards.badge_eligibility(office, on=ON), runs)
    measure(f"five-year candidates {YEAR} (aggregate)",
            lambda: list(awards._five_year_runs(Rating.objects.all(), awards.EXCELLENT_MEMBER_CODES, "member", YEAR)),
            runs)
    if args.members <= 100_000:
        measure(f"commendation candidates {YEAR} (all)", lambda: awards.commendation_candidates(office, year=YEAR),
                runs)
    print(f"  (five-year rule: {commendation_rules.FIVE_YEARS} years, codes {awards.EXCELLENT_MEMBER_CODES})")


if __name__ == "__main__":
    main()
