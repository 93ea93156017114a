"""Who gets what from the prices (the access matrix: ketnoi/access_matrix/).

The board, a facility and a commitment are public. The world's facility belongs to the operator
and lies in unit X's area: its operator, X's staff and coordinators file its price lists;
coordinators manage commitments and breaches.
"""

from ketnoi.access_matrix.rules import COORDINATOR, PUBLIC, STAFF, only

FILERS = only("operator", "officer", "leader", "coordinator")  # prices.access.may_file_for

PAGES = {
    "prices:board": PUBLIC,
    "prices:facility": PUBLIC.at(pk="facility"),
    "prices:file": FILERS.at(pk="facility"),
    "prices:xlsx_template": FILERS.at(pk="facility"),
    "prices:service": PUBLIC.at(code="service_code"),
    "prices:mine": only("operator"),
    "prices:facility_new": COORDINATOR,
    "prices:commitments": COORDINATOR,
    "prices:commitment_new": COORDINATOR,
    "prices:commitment": PUBLIC.at(pk="commitment"),
    "prices:document": STAFF.at(pk="commitment"),
    "prices:follow_up": COORDINATOR.posts().at(pk="breach"),
    "prices:breaches": COORDINATOR,
}

API = {
    "GET /api/v1/prices/facilities": PUBLIC,
    "GET /api/v1/prices/facilities/{facility_id}/price-lists": PUBLIC.at(facility_id="facility"),
    "POST /api/v1/prices/price-lists": FILERS.body(lambda w: {
        "facility": w.facility.pk, "effective_from": str(w.year + 1) + "-01-01", "prices": {"NH20": 1_000_000}}),
    "GET /api/v1/prices/commitments": PUBLIC,
}
