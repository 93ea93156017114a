"""Fixtures the cases domain tests share (a module that needs another world or clock defines its
own, which takes precedence)."""

import pytest

from .core_helpers import Clock, at, build_world


@pytest.fixture
def w(db):
    return build_world()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, at(2026, 3, 9, 9))  # Monday 09/03/2026 09:00

