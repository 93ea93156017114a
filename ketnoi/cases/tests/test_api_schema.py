"""The cases endpoints are described in the OpenAPI schema other tools are generated from."""

from .api_helpers import world  # noqa: F401  (fixture)


def test_every_cases_endpoint_is_in_the_openapi_schema(world):
    schema = world.get("/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/topics": {"get"},
        "/api/v1/cases": {"get", "post"},
        "/api/v1/cases/{reference}": {"get"},
        "/api/v1/cases/{reference}/messages": {"post"},
        "/api/v1/cases/{reference}/assign": {"post"},
        "/api/v1/cases/{reference}/answer": {"post"},
        "/api/v1/cases/{reference}/accept": {"post"},
        "/api/v1/cases/{reference}/rating": {"post"},
        "/api/v1/cases/{reference}/timeline": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"], (path, method)
            ok = "201" if method == "post" and path in ("/api/v1/cases", "/api/v1/cases/{reference}/messages") else "200"
            assert "application/json" in operation["responses"][ok]["content"], (path, method)
    assert "security" not in paths["/api/v1/topics"]["get"]  # public
    assert paths["/api/v1/cases"]["get"]["security"] == [{"BearerToken": []}]
    case_fields = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert {"reference", "status", "topic", "unit", "declaration_numbers", "hs_codes", "due_at", "work_hours_left",
            "rating", "answered_at"} <= set(case_fields)
    filing = schema["components"]["schemas"]["CaseIn"]["properties"]
    assert {"topic", "subject", "description", "declaration_numbers", "hs_codes", "unit"} <= set(filing)
    assert "attachments" in paths["/api/v1/cases"]["post"]["description"].lower()
