"""The dialogue pages (being written): every address answers 404 until its page lands."""

from django.http import Http404


def _not_yet(request, *args, **kwargs):
    raise Http404


calendar = _not_yet
calendar_ics = _not_yet
programme_new = _not_yet
programme = _not_yet
programme_edit = _not_yet
programme_ics = _not_yet
dashboard = _not_yet
session = _not_yet
session_ics = _not_yet
register = _not_yet
session_move = _not_yet
session_cancel = _not_yet
checkin_scan = _not_yet
agenda = _not_yet
agenda_print = _not_yet
question_new = _not_yet
session_close = _not_yet
minutes = _not_yet
minutes_docx = _not_yet
minutes_pdf = _not_yet
registration = _not_yet
registration_cancel = _not_yet
registration_check_in = _not_yet
registration_qr = _not_yet
question = _not_yet
checkin_token = _not_yet
survey = _not_yet
mine = _not_yet
follow_ups = _not_yet
