"""The directives endpoints are described in the OpenAPI schema other tools script against."""

from .api_helpers import dworld  # noqa: F401  (fixture)

OPERATIONS = {("/api/v1/directives", "get"), ("/api/v1/directives", "post"),
              ("/api/v1/directives/{directive_id}", "get"),
              ("/api/v1/directives/{directive_id}/acknowledgements", "post")}


def test_the_four_directives_operations_are_in_the_openapi_schema(dworld):
    paths = dworld.get("/openapi.json").json()["paths"]
    assert {(path, method) for path, item in paths.items() for method in item
            if path.startswith("/api/v1/directives")} == OPERATIONS
    for path, method in OPERATIONS:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], (path, method)
        assert operation["security"] == [{"BearerToken": []}], (path, method)  # never public
        ok = "201" if method == "post" else "200"
        assert "application/json" in operation["responses"][ok]["content"], (path, method)
        assert {"401", "403", "404", "422"} <= set(operation["responses"]), (path, method)
    assert "200" in paths["/api/v1/directives/{directive_id}/acknowledgements"]["post"]["responses"]
    assert "attachments" in paths["/api/v1/directives"]["post"]["description"].lower()


def test_the_schema_names_the_fields_as_documented(dworld):
    schemas = dworld.get("/openapi.json").json()["components"]["schemas"]
    assert {"id", "number", "title", "version", "change", "issuing_unit", "signer_name", "issued_at",
            "effective_from", "effective_to", "urgency", "ack_within_hours", "report_due", "url", "previous_id",
            "recipients"} <= set(schemas["DirectiveSummaryOut"]["properties"])
    assert {"body", "attachments", "versions", "recipients"} <= set(schemas["DirectiveOut"]["properties"])
    assert {"unit", "ack_due_at", "acknowledged_at", "acknowledgement", "reported_at", "report"} <= \
        set(schemas["DirectiveRecipientOut"]["properties"])
    assert {"id", "version", "number", "change", "issued_at", "effective_from", "superseded_from"} == \
        set(schemas["DirectiveVersionOut"]["properties"])
    assert {"number", "title", "body", "issuing_unit", "signer_name", "signer_title", "issued_at", "effective_from",
            "effective_to", "urgency", "target", "target_kinds", "target_units", "ack_within_hours", "report_due",
            "previous_id", "change"} == set(schemas["DirectiveIn"]["properties"])
    assert set(schemas["DirectiveAcknowledgementIn"]["properties"]) == {"unit"}


def test_the_units_schema_of_the_units_endpoint_is_not_overwritten(dworld):
    """Two schemas of one name in two routers: the second would silently replace the first."""
    units = dworld.get("/openapi.json").json()["components"]["schemas"]["UnitOut"]["properties"]
    assert {"name_vi", "name_en", "kind", "parent_id"} <= set(units)
