"""Who gets what from the units' API (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import PUBLIC

API = {
    "GET /api/v1/units": PUBLIC,
}
