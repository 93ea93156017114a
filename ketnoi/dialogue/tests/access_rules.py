"""Who gets what from the dialogue pages and API (the access matrix: ketnoi/access_matrix/).

The world's programme is unit X's (its leader created it, its officer hosts it); enterprise A
registered for its next session with one question. The calendar, a programme and a session are
public (their addresses are on the invitations); running a session is X's staff's
(dialogue.access.may_run_session), leading it X's leader's and the coordinators'.
"""

from ketnoi.access_matrix.rules import BUSINESS, COORDINATOR, PUBLIC, STAFF, UNIT, only

SESSION = {"pk": "session"}
RUNS = UNIT                                      # dialogue.access.may_run_session
LEADS = only("leader", "coordinator")            # may_lead_session, may_manage_programme
REGISTRATION = only("business", "officer", "leader", "coordinator")  # may_see_registration

PAGES = {
    "dialogue:calendar": PUBLIC,
    "dialogue:calendar_ics": PUBLIC,
    "dialogue:department_dashboard": COORDINATOR,
    # Any leader may create a programme for their unit, a coordinator for any unit.
    "dialogue:programme_new": only("leader", "coordinator"),
    "dialogue:programme": PUBLIC.at(pk="programme"),
    "dialogue:programme_edit": LEADS.at(pk="programme"),
    "dialogue:programme_ics": PUBLIC.at(pk="programme"),
    "dialogue:dashboard": RUNS.at(pk="programme"),
    "dialogue:dashboard_xlsx": RUNS.at(pk="programme"),
    "dialogue:session": PUBLIC.at(**SESSION),
    "dialogue:session_ics": PUBLIC.at(**SESSION),
    "dialogue:register": BUSINESS.posts().at(**SESSION),
    "dialogue:session_move": LEADS.posts().at(**SESSION),
    "dialogue:session_cancel": LEADS.posts().at(**SESSION),
    "dialogue:checkin": RUNS.at(**SESSION),
    # The session's staff read the agenda; its leaders order it.
    "dialogue:agenda": RUNS.post_by("leader", "coordinator").at(**SESSION),
    "dialogue:agenda_print": RUNS.at(**SESSION),
    "dialogue:on_the_day": RUNS.at(**SESSION),
    "dialogue:question_new": RUNS.at(**SESSION),
    "dialogue:session_close": LEADS.posts().at(**SESSION),
    # The session's staff write the draft minutes; its leaders issue them.
    "dialogue:minutes": RUNS.post_by("leader", "coordinator").at(pk="held_session").form(action="issue"),
    "dialogue:minutes_docx": RUNS.at(pk="held_session"),
    "dialogue:minutes_pdf": RUNS.at(pk="held_session"),
    "dialogue:registration": REGISTRATION.at(pk="registration"),
    "dialogue:registration_cancel": REGISTRATION.posts().at(pk="registration"),
    "dialogue:registration_check_in": RUNS.posts().at(pk="registration"),
    "dialogue:registration_qr": REGISTRATION.at(pk="registration"),
    "dialogue:question": RUNS.posts().at(pk="question"),
    # The QR code's address: anyone holding it sees whose registration it is; staff check in.
    "dialogue:checkin_token": PUBLIC.at(token="checkin_token"),
    "dialogue:survey": PUBLIC.at(token="survey_token"),
    "dialogue:mine": BUSINESS,
    "dialogue:follow_ups": STAFF,
}

API = {
    "GET /api/v1/dialogue/sessions": PUBLIC,
    "GET /api/v1/dialogue/sessions/{session_id}": PUBLIC.at(session_id="session"),
    "POST /api/v1/dialogue/sessions/{session_id}/registrations": BUSINESS.at(session_id="session").body(
        attendees=[{"name": "Lý Văn Phát", "position": "Giám đốc"}]),
    "GET /api/v1/dialogue/sessions/{session_id}/agenda": RUNS.at(session_id="session"),
    "GET /api/v1/dialogue/sessions/{session_id}/minutes": RUNS.at(session_id="held_session"),
}
