"""The topics customs uses for business questions (RULES.md) and the default deadline policies."""

from django.db import migrations

# (code, Vietnamese, English, answers need a leader's approval)
TOPICS = [
    ("thu-tuc", "Thủ tục hải quan", "Customs procedures", False),
    ("phan-loai-hs", "Phân loại hàng hóa, mã HS", "HS classification", True),
    ("tri-gia", "Trị giá hải quan", "Customs valuation", True),
    ("thue", "Thuế, miễn thuế, hoàn thuế", "Tax, exemption and refund", True),
    ("xuat-xu", "Xuất xứ hàng hóa (C/O)", "Origin (C/O)", False),
    ("kiem-tra-chuyen-nganh", "Kiểm tra chuyên ngành, kiểm dịch, giấy phép", "Specialised inspection, quarantine, licences", False),
    ("gia-cong-sxxk-chexuat", "Gia công, sản xuất xuất khẩu, doanh nghiệp chế xuất", "Processing, export production, export-processing enterprises", False),
    ("kho-bai-cang", "Kho, bãi, cảng, quá cảnh, chuyển phát nhanh", "Warehouses, ports, transit, express", False),
    ("cntt-vnaccs", "Hệ thống VNACCS, hải quan điện tử", "VNACCS and e-customs IT", False),
    ("khac", "Vấn đề khác", "Other", False),
]

# (level, priority, acknowledge working days, answer working days, answer working hours, source)
POLICIES = [
    ("unit", False, 1, 10, None, "ketnoi default (RULES.md); Decree 20/2008/NĐ-CP sets no general answer deadline"),
    ("department", False, 1, 10, None, "ketnoi default: 10 more working days after escalation to the department"),
    ("unit", True, 1, None, 8, "TT 72/2015/TT-BTC Art. 7.2 as amended by TT 07/2019: 8 working hours for priority enterprises"),
]


def seed(apps, schema_editor):
    Topic = apps.get_model("cases", "Topic")
    SlaPolicy = apps.get_model("cases", "SlaPolicy")
    for position, (code, vi, en, approval) in enumerate(TOPICS):
        Topic.objects.update_or_create(code=code, defaults={
            "name_vi": vi, "name_en": en, "requires_approval": approval, "position": position})
    for level, priority, ack, days, hours, source in POLICIES:
        SlaPolicy.objects.update_or_create(topic=None, level=level, priority=priority, defaults={
            "acknowledge_workdays": ack, "answer_workdays": days, "answer_work_hours": hours, "source": source})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
