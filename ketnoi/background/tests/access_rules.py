"""Who gets what from the pages of background work (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import only

PAGES = {
    # The year-end review: coordinators and the party office (reports.access.may_render_year_end).
    "background:year_end": only("coordinator", "party"),
    # A job's page and its file: whoever asked for it (the world's coordinator) and the admins.
    "background:job": only("coordinator", "admin").at(job_id="job"),
    "background:job_download": only("coordinator", "admin").at(job_id="job"),
}
