"""Who gets what from the reports (the access matrix: ketnoi/access_matrix/)."""

from ketnoi.access_matrix.rules import PUBLIC, only

# The department's dashboard: coordinators, administrators and the department's leaders.
DEPARTMENT = only("coordinator", "admin")
# A unit's: also the leaders of the unit (and of the units above it).
UNIT_DASHBOARD = only("leader", "coordinator", "admin")

PAGES = {
    "reports:department": DEPARTMENT,
    "reports:department_xlsx": DEPARTMENT,
    "reports:unit": UNIT_DASHBOARD.at(pk="unit"),
    "reports:unit_xlsx": UNIT_DASHBOARD.at(pk="unit"),
    "reports:scorecard": PUBLIC,
    "reports:open_data": PUBLIC,
    "reports:open_data_cases": PUBLIC.at(year="year", fmt="format"),
    "reports:open_data_qa": PUBLIC.at(fmt="format"),
}

API = {
    "GET /api/v1/reports/scorecard": PUBLIC,
    "GET /api/v1/reports/open-data/cases": PUBLIC.query(year=2026),
}
