"""Who gets what from the party register (the access matrix: ketnoi/access_matrix/).

Party membership is sensitive personal data (Decree 13/2023/NĐ-CP): the register is the party
office's; a grassroots secretary reads their own organisation's (the lists, scoped; the world's
member, organisation, event and creative model are of another cell, so refused); writes are the
party office's; everyone else, administrators included, is refused. The API is the party
office's only.
"""

from ketnoi.access_matrix.rules import PARTY, only

READERS = only("party", "secretary")    # party.access.may_read_register (the lists, scoped)

MEMBER = {"pk": "member"}
YEAR = {"year": "year"}

PAGES = {
    "party:home": READERS,
    "party:organisation_new": PARTY,
    "party:organisation": PARTY.at(pk="organisation"),
    "party:organisation_close": PARTY.posts().at(pk="organisation"),
    "party:organisation_secretaries": PARTY.posts().at(pk="organisation"),
    "party:members": READERS,
    "party:members_export": READERS,
    "party:members_import": PARTY,
    "party:import_template": PARTY,
    "party:member": PARTY.at(**MEMBER),
    "party:member_edit": PARTY.at(**MEMBER),
    "party:gap_add": PARTY.posts().at(**MEMBER),
    "party:gap_end": PARTY.posts().at(gap_pk="gap", **MEMBER),
    "party:transfer": PARTY.posts().at(**MEMBER),
    "party:member_status": PARTY.posts().at(**MEMBER),
    "party:badges": READERS,
    "party:badges_print": READERS,
    "party:badges_xlsx": READERS,
    "party:badge_award": PARTY.query(lambda w: {"member": w.member.pk}),
    "party:ratings": READERS.at(**YEAR),
    "party:rating_member": PARTY.posts().at(**YEAR),
    "party:rating_organisation": PARTY.posts().at(**YEAR),
    "party:ratings_import": PARTY.posts().at(**YEAR),
    "party:commendations": READERS.at(**YEAR),
    "party:commendation_record": PARTY.posts().at(**YEAR),
    "party:events": READERS.post_by("party"),
    "party:event": PARTY.at(pk="event"),
    "party:event_present": PARTY.posts().at(pk="event"),
    "party:contribution_add": PARTY.posts().at(pk="event"),
    "party:initiatives": READERS.post_by("party"),
    "party:initiative": PARTY.at(pk="initiative"),
    "party:initiative_link": PARTY.posts().at(pk="initiative"),
    "party:read_log": PARTY,
    "party:read_log_export": PARTY,
}

API = {
    "GET /api/v1/party/badge-eligibility": PARTY,
    "GET /api/v1/party/commendation-candidates": PARTY.query(year=2025),
    "GET /api/v1/party/members/{member_id}": PARTY.at(member_id="member"),
}
