"""The dialogue endpoints are described in the OpenAPI schema, and adding them replaced none of
the other routers' schemas."""

from .api_helpers import api, clock, w  # noqa: F401 (fixtures)

PUBLIC = {("/api/v1/dialogue/sessions", "get"), ("/api/v1/dialogue/sessions/{session_id}", "get")}
TOKEN = {("/api/v1/dialogue/sessions/{session_id}/registrations", "post"),
         ("/api/v1/dialogue/sessions/{session_id}/agenda", "get"),
         ("/api/v1/dialogue/sessions/{session_id}/minutes", "get")}


def test_the_five_dialogue_operations_are_in_the_openapi_schema(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert {(path, method) for path, item in paths.items() for method in item
            if path.startswith("/api/v1/dialogue")} == PUBLIC | TOKEN
    for path, method in PUBLIC | TOKEN:
        operation = paths[path][method]
        assert operation["summary"] and operation["description"], (path, method)
        ok = "201" if method == "post" else "200"
        assert "application/json" in operation["responses"][ok]["content"], (path, method)
        assert {"400", "404", "422"} <= set(operation["responses"]), (path, method)
    for path, method in PUBLIC:
        assert "security" not in paths[path][method], path
    for path, method in TOKEN:
        assert paths[path][method]["security"] == [{"BearerToken": []}], path
    parameters = {p["name"] for p in paths["/api/v1/dialogue/sessions"]["get"]["parameters"]}
    assert parameters == {"unit", "from", "to"}


def test_the_schema_names_the_fields_as_documented(api):
    schemas = api.get("/openapi.json").json()["components"]["schemas"]
    assert {"id", "programme", "unit", "starts_at", "ends_at", "venue", "status", "capacity", "confirmed", "waiting",
            "seats_left", "registration_open", "ics_url"} <= set(schemas["DialogueSessionOut"]["properties"])
    assert set(schemas["DialogueRegistrationIn"]["properties"]) == {"enterprise", "attendees", "questions"}
    assert {"status", "waiting_position", "questions", "checkin_url"} <= set(schemas["DialogueRegistrationOut"]["properties"])
    assert {"case", "answerer", "outcome", "follow_up_due"} <= set(schemas["DialogueAgendaItemOut"]["properties"])
    assert {"number", "state", "docx_url", "pdf_url"} <= set(schemas["DialogueMinutesOut"]["properties"])
    # the other routers' schemas are still there
    assert {"FacilityOut", "CasePageOut", "TopicOut"} <= set(schemas)
