"""Who gets what from the cases pages and API (the access matrix: ketnoi/access_matrix/).

The world's case belongs to enterprise A ("business") and is handled by unit X ("officer",
"leader"); it was assigned to the officer and answered by the leader. A case of someone else is a
404 (its existence is confidential); an action one may not take on a case one sees is a 403.
"""

from ketnoi.access_matrix.rules import BUSINESS, COORDINATOR, OWNER, PUBLIC, SIGNED_IN, STAFF, UNIT, only

CASE = {"reference": "case.reference"}
HANDLERS = UNIT                                  # cases.access.may_handle
LEADS = only("leader", "coordinator")            # cases.access.may_lead
ITS_BUSINESS = only("business")                  # cases.access.is_business_party
STAFF_ROLES = ("officer", "leader", "other_officer", "secretary", "coordinator")

PAGES = {
    # A business user's cases; staff are sent on to their queue.
    "cases:mine": only("business", "other_business", *STAFF_ROLES),
    "cases:new": BUSINESS,
    # Searched for words of the world's case (unpublished): the answer must not show it.
    "cases:similar": PUBLIC.query(q="linh kiện bo mạch", d="hoàn thuế nhập khẩu"),
    "cases:intake": STAFF,
    "cases:queue": STAFF,
    "cases:routing": COORDINATOR,
    "cases:routing_delete": COORDINATOR.posts().at(rule_id="routing_rule"),
    "cases:deadlines": COORDINATOR,
    "cases:deadline_new": COORDINATOR,
    "cases:deadline_edit": COORDINATOR.at(policy_id="deadline_policy"),
    # The rating link of the e-mail: whoever holds it (no login) sees the case it rates.
    "cases:rate": PUBLIC.at(token="rating_token").showing("enterprise A's case"),
    "cases:detail": OWNER.at(**CASE),
    "cases:attachment": OWNER.at(attachment_id="case_attachment", **CASE),
    "cases:assign": HANDLERS.posts().at(**CASE),
    "cases:message": HANDLERS.posts().at(**CASE),
    "cases:note": HANDLERS.posts().at(**CASE),
    "cases:request_info": HANDLERS.posts().at(**CASE),
    "cases:draft": HANDLERS.posts().at(**CASE),
    "cases:answer": HANDLERS.posts().at(**CASE),
    "cases:share": HANDLERS.posts().at(**CASE),
    "cases:approve": LEADS.posts().at(**CASE),
    "cases:reject": LEADS.posts().at(**CASE),
    "cases:reassign": LEADS.posts().at(**CASE),
    "cases:forward": LEADS.posts().at(**CASE),
    "cases:escalate": LEADS.posts().at(**CASE),
    "cases:reply": ITS_BUSINESS.posts().at(**CASE),
    "cases:accept": ITS_BUSINESS.posts().at(**CASE),
    "cases:rating": ITS_BUSINESS.posts().at(**CASE),
}

API = {
    "GET /api/v1/topics": PUBLIC,
    "GET /api/v1/cases": SIGNED_IN,
    # Businesses file their own; staff file on a business's behalf (intake), naming it.
    "POST /api/v1/cases": only("business", "other_business", *STAFF_ROLES).body(topic="thu-tuc", subject="Thủ tục tạm nhập tái xuất khuôn mẫu",
                                        description="Doanh nghiệp xin hướng dẫn thủ tục tạm nhập khuôn mẫu."),
    "GET /api/v1/cases/{reference}": OWNER.at(**CASE),
    "GET /api/v1/cases/{reference}/timeline": OWNER.at(**CASE),
    "POST /api/v1/cases/{reference}/messages": OWNER.at(**CASE).body(body="Xin bổ sung hồ sơ theo yêu cầu."),
    "POST /api/v1/cases/{reference}/assign": HANDLERS.at(**CASE).body(lambda w: {"assignee": w.users["officer"].username}),
    "POST /api/v1/cases/{reference}/answer": HANDLERS.at(**CASE).body(body="Căn cứ Điều 16 Thông tư 38/2015/TT-BTC ..."),
    "POST /api/v1/cases/{reference}/accept": ITS_BUSINESS.at(**CASE).body(),
    "POST /api/v1/cases/{reference}/rating": ITS_BUSINESS.at(**CASE).body(score=5, comment="Trả lời nhanh, rõ ràng."),
}
