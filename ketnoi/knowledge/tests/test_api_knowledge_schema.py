"""The knowledge endpoints are described in the OpenAPI schema other tools script against."""

from ketnoi.cases.tests.api_helpers import world  # noqa: F401  (fixture)

PUBLIC = {("/api/v1/knowledge/search", "get"), ("/api/v1/knowledge/similar", "get"),
          ("/api/v1/knowledge/articles/{article_id}", "get"), ("/api/v1/legal-documents", "get")}
COORDINATORS = {("/api/v1/knowledge/articles", "post"), ("/api/v1/legal-documents", "post")}


def test_every_knowledge_endpoint_is_in_the_openapi_schema(world):
    schema = world.get("/openapi.json").json()
    paths = schema["paths"]
    for path, method in PUBLIC | COORDINATORS:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], (path, method)
        ok = "201" if method == "post" else "200"
        assert "application/json" in operation["responses"][ok]["content"], (path, method)
        assert {"400", "422"} <= set(operation["responses"]), (path, method)
    assert {(path, method) for path, item in paths.items() for method in item
            if path.startswith(("/api/v1/knowledge", "/api/v1/legal-documents"))} == PUBLIC | COORDINATORS
    for path, method in PUBLIC:
        assert "security" not in paths[path][method], path
    for path, method in COORDINATORS:
        assert paths[path][method]["security"] == [{"BearerToken": []}], path


def test_the_schema_names_the_fields_as_documented(world):
    schemas = world.get("/openapi.json").json()["components"]["schemas"]
    assert set(schemas["SearchOut"]["properties"]) == {"total", "total_is_exact", "not_searched", "results"}
    assert {"id", "question", "answer", "topic", "score", "url"} <= set(schemas["SearchHitOut"]["properties"])
    assert set(schemas["SimilarHitOut"]["properties"]) == {"id", "question", "topic", "score", "url"}
    assert {"question", "answer", "topic", "legal_references", "valid_from", "valid_to"} == \
        set(schemas["ArticleIn"]["properties"])
    assert {"id", "legal_references", "needs_review", "url"} <= set(schemas["ArticleOut"]["properties"])
    assert {"number", "name", "status", "url"} <= set(schemas["ReferenceOut"]["properties"])
    assert schemas["ArticleIn"]["properties"]["legal_references"]["examples"] == \
        [["Thông tư 38/2015/TT-BTC", "Nghị định 134/2016/NĐ-CP"]]
