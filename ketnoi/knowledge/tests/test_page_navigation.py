"""The navigation bar offers the Q&A to everyone and its management to coordinators only."""

import pytest

from ketnoi.testing import nav_links

from .page_helpers import ROLES, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES + ["operator"], ids=lambda role: role or "anonymous")
def test_everyone_is_offered_the_qa_and_only_coordinators_its_management(client, w, role):
    sign_in(client, w, role)
    links = nav_links(client.get("/"))
    assert ("Q&A", "/hoi-dap/") in links
    assert (("Manage the Q&A", "/hoi-dap/quan-ly/") in links) == (role == "coordinator")


def test_the_qa_is_marked_as_the_current_page(client, w):
    sign_in(client, w, None)
    html = client.get("/hoi-dap/").content.decode()
    assert '<a href="/hoi-dap/" aria-current="page">' in html
