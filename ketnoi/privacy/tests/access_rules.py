"""Who gets what from the privacy pages (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import only

PAGES = {
    # A business's copy of its own data: the users of an enterprise (business or operator).
    "privacy:home": only("business", "other_business", "operator"),
    # The file, to whoever asked for it while they belong to the enterprise. The world has no
    # export job: its year-end job is no one's export here (the owner's download is tested in
    # ketnoi/privacy/tests/test_enterprise_export.py).
    "privacy:download": only().at(job_id="job"),
}
