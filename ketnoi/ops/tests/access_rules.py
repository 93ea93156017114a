"""Who gets what from the operations pages (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import PUBLIC

PAGES = {
    # Prometheus scrapes it; the nginx site serves it to loopback only (deploy/).
    "ops:metrics": PUBLIC,
}
