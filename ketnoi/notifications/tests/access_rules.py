"""Who gets what from the notification pages (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import SIGNED_IN

PAGES = {
    "notifications:list": SIGNED_IN,
    "notifications:mark_all_read": SIGNED_IN.posts(),
}
