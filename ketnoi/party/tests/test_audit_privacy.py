"""The general audit trail, which administrators read, never names a member or shows their
party data: the party writes leave ids and the names of the fields written only."""

from datetime import date

from ketnoi.audit.models import AuditEvent
from ketnoi.party import awards, services
from ketnoi.party.models import Rating

from .helpers import make_member, make_party_office

NAME = "Quách Thị Diễm Phượng"


def test_no_audit_event_of_a_members_record_carries_their_name_or_values(db):
    office = make_party_office()
    member = make_member(full_name=NAME, admitted=date(1991, 2, 3))
    services.member_update(member=member, by=office, position="Chi ủy viên")
    awards.rating_set(year=2020, level="xuat_sac", member=member, by=office)
    awards.ratings_import(year=2019, by=office, rows=[{"card": member.card_number, "name": NAME, "level": "tot"}])
    ceremony = awards.event_create(kind="ceremony", name="Lễ trao Huy hiệu Đảng đợt 3/2/2021", held_on=date(2021, 2, 3),
                                   organisation=member.organisation, by=office)
    badge = awards.badge_award(member=member, threshold=30, decision_number="125-QĐ/ĐU", decided_on=date(2021, 1, 15),
                               occasion=date(2021, 2, 3), by=office)
    commendation = awards.commendation_record(year=2020, form="giay_khen", issuer="grassroots_committee",
                                              issuer_name="Đảng ủy Chi cục HQ Khu Công nghệ cao",
                                              decision_number="07-QĐ/ĐU", decided_on=date(2021, 1, 10),
                                              reason="Hoàn thành xuất sắc nhiệm vụ năm 2020", member=member, by=office)
    awards.event_present(event=ceremony, by=office, badges=[badge], commendations=[commendation])
    assert Rating.objects.filter(member=member).count() == 2
    events = AuditEvent.objects.filter(action__startswith="party.").exclude(action__startswith="party.organisation")
    assert events.count() >= 7
    for event in events:
        text = f"{event.object_repr} {event.before} {event.after}"
        for secret in (NAME, "Chi ủy viên", "xuat_sac", "tot", "125-QĐ/ĐU", "07-QĐ/ĐU", "Hoàn thành xuất sắc"):
            assert secret not in text, (event.action, secret)
