"""The prices endpoints are described in the OpenAPI schema other tools script against, and
adding them replaced none of the other routers' schemas."""

from .api_helpers import pworld  # noqa: F401  (fixture)

PUBLIC = {("/api/v1/prices/facilities", "get"), ("/api/v1/prices/facilities/{facility_id}/price-lists", "get"),
          ("/api/v1/prices/commitments", "get")}
FILING = {("/api/v1/prices/price-lists", "post")}


def test_the_four_prices_operations_are_in_the_openapi_schema(pworld):
    paths = pworld.get("/openapi.json").json()["paths"]
    assert {(path, method) for path, item in paths.items() for method in item
            if path.startswith("/api/v1/prices")} == PUBLIC | FILING
    for path, method in PUBLIC | FILING:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], (path, method)
        ok = "201" if method == "post" else "200"
        assert "application/json" in operation["responses"][ok]["content"], (path, method)
        assert {"400", "404", "422"} <= set(operation["responses"]), (path, method)
    for path, method in PUBLIC:
        assert "security" not in paths[path][method], path
    for path, method in FILING:
        assert paths[path][method]["security"] == [{"BearerToken": []}], path


def test_the_schema_names_the_fields_as_documented(pworld):
    schemas = pworld.get("/openapi.json").json()["components"]["schemas"]
    assert {"id", "name", "kind", "operator", "unit", "commitment", "current_list"} <= \
        set(schemas["FacilityOut"]["properties"])
    assert set(schemas["FacilityOperatorOut"]["properties"]) == {"id", "name", "tax_code"}
    assert set(schemas["FacilityCurrentListOut"]["properties"]) == {"id", "effective_from", "version"}
    assert {"service", "name", "charge_unit", "amount"} <= set(schemas["PriceOut"]["properties"])
    assert {"id", "prices", "effective_from", "version", "filed_at", "source"} <= \
        set(schemas["PriceListOut"]["properties"])
    assert set(schemas["PriceListIn"]["properties"]) == {"facility", "effective_from", "prices", "note"}
    assert "breaches" in schemas["PriceListFiledOut"]["properties"]
    assert {"commitment", "services"} <= set(schemas["PriceBreachOut"]["properties"])
    assert {"service", "baseline", "price", "difference", "percent"} <= set(schemas["PriceBreachItemOut"]["properties"])
    assert {"status", "operator", "facilities", "period_from", "period_to", "signed_on", "first_breach_on",
            "services_affected", "breaches"} <= set(schemas["PriceCommitmentOut"]["properties"])


def test_the_other_routers_schemas_are_intact(pworld):
    """Two schemas of one name in two routers: the second would silently replace the first."""
    schemas = pworld.get("/openapi.json").json()["components"]["schemas"]
    assert {"name_vi", "name_en", "kind", "parent_id"} <= set(schemas["UnitOut"]["properties"])
    assert {"body", "attachments", "versions", "recipients"} <= set(schemas["DirectiveOut"]["properties"])
    assert {"id", "legal_references", "needs_review", "url"} <= set(schemas["ArticleOut"]["properties"])
    assert {"code", "message", "details"} == set(schemas["ErrorBody"]["properties"])
    assert {"reference", "status", "subject"} <= set(schemas["CaseSummaryOut"]["properties"])
