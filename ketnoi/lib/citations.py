"""Legal-document citations in Vietnamese text: recognise them and give each its canonical number."""

# The name each kind of document is cited by (ketnoi.knowledge.models.DocumentKind codes).
KIND_NAMES = {
    "luat": "Luật",
    "nghi-quyet": "Nghị quyết",
    "nghi-dinh": "Nghị định",
    "quyet-dinh": "Quyết định",
    "thong-tu": "Thông tư",
    "chi-thi": "Chỉ thị",
    "cong-van": "Công văn",
    "khac": "",
}
