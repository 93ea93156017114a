"""Who gets what from the Q&A pages and API (the access matrix: ketnoi/access_matrix/).

The Q&A and the legal documents are public; writing them is the coordinators'.
"""

from ketnoi.access_matrix.rules import COORDINATOR, PUBLIC

EDITORS = COORDINATOR  # knowledge.access.may_edit_articles, may_manage_documents

PAGES = {
    # Searched for words of the world's case, which is not published: it must not show.
    "knowledge:search": PUBLIC.query(q="linh kiện bo mạch"),
    "knowledge:article": PUBLIC.at(pk="article"),
    "knowledge:vote": PUBLIC.posts().at(pk="article"),
    "knowledge:edit": EDITORS.at(pk="article"),
    "knowledge:withdraw": EDITORS.posts().at(pk="article"),
    "knowledge:reviewed": EDITORS.posts().at(pk="article"),
    "knowledge:documents": PUBLIC,
    "knowledge:document_new": EDITORS,
    "knowledge:document": PUBLIC.at(pk="document"),
    "knowledge:document_edit": EDITORS.at(pk="document"),
    "knowledge:manage": EDITORS,
    "knowledge:new": EDITORS,
    "knowledge:publish_case": EDITORS.at(reference="case.reference"),
}

API = {
    "GET /api/v1/knowledge/search": PUBLIC.query(q="linh kiện bo mạch"),
    "GET /api/v1/knowledge/similar": PUBLIC.query(text="hoàn thuế nhập khẩu linh kiện bo mạch"),
    "GET /api/v1/knowledge/articles/{article_id}": PUBLIC.at(article_id="article"),
    "POST /api/v1/knowledge/articles": EDITORS.body(
        question="Hàng mẫu nhập khẩu có phải nộp thuế không?", topic="thu-tuc",
        answer="Căn cứ Điều 29 Nghị định 134/2016/NĐ-CP, hàng mẫu có trị giá nhỏ được miễn thuế."),
    "GET /api/v1/legal-documents": PUBLIC,
    "POST /api/v1/legal-documents": EDITORS.body(number="08/2015/NĐ-CP", kind="nghi-dinh"),
}
