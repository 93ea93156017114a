"""A read replica for the tests: a second alias on the test database itself, as Django's test
mirror (TEST: {"MIRROR": "default"}) — its own connection, so it sees what is committed, and
its own query log, which tells which alias each read went to."""

import tempfile
from pathlib import Path

import pytest
from django.db import connections

from ketnoi.ops import metrics, replica


def _add_alias(settings_dict: dict):
    connections.settings[replica.REPLICA] = settings_dict
    replica._replica_down_until = 0.0


def _remove_alias():
    if replica.REPLICA in connections.settings:
        try:
            connections[replica.REPLICA].close()
            del connections[replica.REPLICA]
        except AttributeError:  # never connected in this thread
            pass
        del connections.settings[replica.REPLICA]
    replica._replica_down_until = 0.0


# The alias is added before the test's database set-up (pytest-django's, which lets a test use
# only the aliases that exist then: `django_db(databases="__all__")`) and removed after it.
@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    names = getattr(item, "fixturenames", ())
    if "mirror" in names or "unreachable_replica" in names:
        default = connections["default"].settings_dict
        test = {**default["TEST"], "MIRROR": "default"}
        if "mirror" in names:
            _add_alias({**default, "TEST": test})
        else:
            _add_alias({**default, "ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}, "TEST": test,
                        "NAME": str(Path(tempfile.gettempdir()) / "ketnoi no such folder" / "replica.sqlite3")})


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        _remove_alias()


@pytest.fixture
def mirror():
    """The replica alias, a mirror of the test database (tests mark django_db(databases="__all__"))."""
    return connections[replica.REPLICA]


@pytest.fixture
def unreachable_replica():
    """A replica alias whose database cannot be opened."""
    return connections[replica.REPLICA]


@pytest.fixture
def fresh_tally(monkeypatch):
    """This process's request counts start from nothing (they reach the database when /metrics
    is read, or when the test flushes them)."""
    tally = metrics.Tally()
    monkeypatch.setattr(metrics, "tally", tally)
    yield tally
    tally.stop_flushing()
