"""What the party page tests share: the small register of helpers.build_register, the people who
must be refused, and readers of the pages' text."""

import re
from html import unescape

from ketnoi.accounts.models import Role
from ketnoi.party.models import (
    BadgeAward, Commendation, Contribution, Event, Gap, Initiative, Member, MemberRead, Organisation, Rating, Transfer,
)
from ketnoi.testing import make_user

# Everyone but the party office and the secretaries: they get 403 (or the login page).
REFUSED = ["anonymous", "business", "officer", "leader", "coordinator", "admin", "superuser", "operator"]


def refused_user(name: str):
    if name == "anonymous":
        return None
    if name == "superuser":
        root = make_user(None, username="root")
        root.is_superuser = root.is_staff = True
        root.save(update_fields=["is_superuser", "is_staff"])
        return root
    return make_user({"business": Role.BUSINESS, "officer": Role.OFFICER, "leader": Role.LEADER,
                      "coordinator": Role.COORDINATOR, "admin": Role.ADMIN, "operator": Role.OPERATOR}[name])


def log_in(client, user, language: str = "vi"):
    """Log ``user`` in; a test that reads English messages asks for "en"."""
    if user is not None:
        if user.language != language:
            user.language = language
            user.save(update_fields=["language"])
        client.force_login(user)
    return client


def assert_refused(response, *names):
    """A 403 or the login page, and none of ``names`` in it."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]
    body = response.content.decode()
    for name in names:
        assert name not in body


def counts() -> tuple:
    """Rows of every party table a page could write."""
    return tuple(model.objects.count() for model in (Organisation, Member, Gap, Transfer, BadgeAward, Rating,
                                                     Commendation, Event, Contribution, Initiative))


def text(response) -> str:
    """The page's main content as plain text, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[start:html.index("</div>", start)])).split())


def reads() -> int:
    return MemberRead.objects.count()
