"""What the dialogue page tests share: the core tests' department (the High-Tech Park branch,
02F3, and its people, on Monday 02/03/2026 09:00) and helpers to read a page.

    def test_it_shows(client, w):
        programme = make_programme(w)
        page = as_user(client, w.business).get("/doi-thoai/")
"""

import re
from html import unescape

from .service_helpers import (  # noqa: F401 (fixtures and helpers for the page tests)
    RULE, VENUE, audit, build_world, clock, counts, first_session, fresh, mail_to, make_programme,
    programme_fields, w,
)


def as_user(client, user, language: str = "vi"):
    """Logged in as `user`; a test that reads English messages asks for "en" (the user's own
    language wins over the language cookie)."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    client.force_login(user)
    return client


def english(client):
    client.cookies["ketnoi_language"] = "en"
    return client


def text(response) -> str:
    """The page's main content as plain text, spaces collapsed."""
    html = response.content.decode()
    main = html[html.index("<main"):html.index("</main>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('class="error-summary"')
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[start:html.index("</div>", start)])).split())


def block(response, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag of the same name)."""
    html = response.content.decode()
    found = re.search(rf'<(\w+)[^>]* id="{re.escape(element_id)}"', html)
    if not found:
        return ""
    tag = found.group(1)
    end = html.index(f"</{tag}>", found.end())
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html[found.start():end])).split())
