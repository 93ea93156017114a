"""Who gets what from the directives (the access matrix: ketnoi/access_matrix/).

Staff only. The world's directive (two versions) is sent to every unit, so every officer reads
it; the leader of unit X acknowledges and reports for X; coordinators issue and follow up.
"""

from ketnoi.access_matrix.rules import COORDINATOR, STAFF, only

DIRECTIVE = {"pk": "directive"}

PAGES = {
    "directives:in_force": STAFF,
    "directives:new": COORDINATOR,
    "directives:follow_up": COORDINATOR,
    "directives:search": STAFF.query(q="phòng chống dịch"),
    # Unit leaders name their delegates.
    "directives:delegates": only("leader"),
    "directives:detail": STAFF.at(**DIRECTIVE),
    "directives:new_version": COORDINATOR.at(pk="directive_v2"),  # the first is replaced: a redirect
    "directives:compare": STAFF.at(other="directive_v2", **DIRECTIVE),
    "directives:acknowledge": only("leader").posts().at(**DIRECTIVE),
    "directives:report": only("leader").posts().at(**DIRECTIVE).form(lambda w: {
        "unit": w.unit.pk, "report_text": "Chi cục đã bố trí cán bộ trực và đo thân nhiệt tại cổng."}),
    "directives:attachment": STAFF.at(attachment_id="directive_attachment", **DIRECTIVE),
}

API = {
    "GET /api/v1/directives": STAFF,
    "POST /api/v1/directives": COORDINATOR.body(lambda w: {
        "number": "130/HQHCM-VP", "title": "Về việc làm việc ngoài giờ", "body": "Các đơn vị bố trí trực.",
        "issuing_unit": w.office.pk, "signer_name": "Nguyễn Văn Tâm"}),
    "GET /api/v1/directives/{directive_id}": STAFF.at(directive_id="directive"),
    "POST /api/v1/directives/{directive_id}/acknowledgements": only("leader").at(directive_id="directive").body(),
}
