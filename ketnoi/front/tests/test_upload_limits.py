"""The limits on what a request may carry agree with each other: Django's own (the form fields
other than files, the number of files) let through every form the app accepts, and nginx's
client_max_body_size (deploy/nginx/ketnoi-app.conf) lets through every single-file form, so that
a file too large gets the app's message rather than a bare 413 or 400."""

import re

from django.conf import settings

# The worst case of a character in a form field: a 3-byte UTF-8 character percent-encoded.
BYTES_PER_CHARACTER = 9


def nginx_body_limit() -> int:
    """client_max_body_size of the server block (the locations for attachments have their own)."""
    text = (settings.BASE_DIR / "deploy" / "nginx" / "ketnoi-app.conf").read_text()
    number, unit = re.search(r"^client_max_body_size (\d+)([kKmMgG]?);", text, re.M).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_the_longest_text_fields_fit_in_djangos_limit_for_form_data():
    from ketnoi.directives.services import MAX_BODY
    from ketnoi.knowledge.services import MAX_ANSWER, MAX_QUESTION

    longest_form = max(MAX_BODY, MAX_ANSWER + MAX_QUESTION) * BYTES_PER_CHARACTER
    assert longest_form + 64 * 1024 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # room for the other fields


def test_the_most_files_a_form_takes_fit_in_djangos_limit():
    from ketnoi.cases.policy import case_policy
    from ketnoi.directives.services import MAX_ATTACHMENTS

    assert max(case_policy().attachments_per_upload, MAX_ATTACHMENTS) <= settings.DATA_UPLOAD_MAX_NUMBER_FILES


def test_nginx_lets_through_every_single_file_form_so_that_the_app_says_what_is_wrong():
    from ketnoi.party.awards import MAX_IMPORT_BYTES as RATINGS_BYTES
    from ketnoi.party.xlsx import MAX_BYTES as MEMBERS_BYTES
    from ketnoi.prices.services import DOCUMENT_MAX_BYTES
    from ketnoi.prices.xlsx import MAX_BYTES as PRICE_LIST_BYTES

    everywhere = nginx_body_limit()
    for limit in (RATINGS_BYTES, MEMBERS_BYTES, DOCUMENT_MAX_BYTES, PRICE_LIST_BYTES):
        # A file a little over the app's limit still reaches the app, which answers with its message.
        assert limit + 1024 * 1024 < everywhere
