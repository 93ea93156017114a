"""Who gets what from the front pages (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import PUBLIC

PAGES = {
    "front:home": PUBLIC,
    "front:set_language": PUBLIC.posts(),
    "front:units": PUBLIC,
    # Public; the staff list on it only for those who act for the unit.
    "front:unit": PUBLIC.at(unit_id="unit"),
}
