import pytest
from django.db import connection

from ketnoi.front.maintenance import refresh_query_statistics
from ketnoi.testing import make_unit

pytestmark = pytest.mark.django_db


@pytest.mark.sqlite
def test_it_gives_sqlite_the_statistics_its_planner_needs():
    for n in range(3):
        make_unit(code=f"02Z{n}")
    assert refresh_query_statistics() == "analyzed"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'org_unit'")
        assert cursor.fetchone()[0] > 0


@pytest.mark.postgresql
def test_it_leaves_postgresql_to_autovacuum():
    assert refresh_query_statistics() == "kept by autovacuum"
