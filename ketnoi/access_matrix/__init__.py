"""The access-control matrix (issue 10, item 1): every page and API operation called as every
role, checked against the outcome its app declares.

    ketnoi/<app>/tests/access_rules.py   each app's table: PAGES (by URL name) and API (by
                                         "METHOD /api/v1/path"), one rule per view
    ketnoi/access_matrix/rules.py        the vocabulary (roles, outcomes, the usual groups)
                                         and the project's own patterns (admin site, health,
                                         metrics, the API's schema pages)
    ketnoi/access_matrix/world.py        the one small department every request runs against
    ketnoi/access_matrix/tests/          the test: walks the URL configuration and the OpenAPI
                                         schema, fails on any view without a rule
"""
