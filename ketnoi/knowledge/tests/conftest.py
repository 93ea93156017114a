import pytest

from .page_helpers import world


@pytest.fixture
def w():
    """The people of a department (ketnoi.cases' test world) for the Q&A pages."""
    return world()
