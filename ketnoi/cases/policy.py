"""How the periodic jobs treat cases. ketnoi's own policy, not law: each value can be changed in
settings (`KETNOI_CASES = {"auto_resolve_workdays": 7, ...}`)."""

from dataclasses import dataclass, fields

from django.conf import settings


@dataclass(frozen=True)
class CasePolicy:
    # Escalation steps, in office hours past the answer deadline: first to the unit leader,
    # then to the department coordinators (who also get `department_answer_workdays` more).
    escalate_to_leader_after_hours: float = 0
    escalate_to_department_after_hours: float = 16
    department_answer_workdays: int = 10
    # An answered case the business neither accepts nor replies to is resolved after this.
    auto_resolve_workdays: int = 5
    # Decree 20/2008/NĐ-CP Art. 9.1.d: feedback outside the body's competence is forwarded
    # within 5 working days.
    forward_workdays: int = 5
    # The one-click rating link in the e-mail stays valid this long.
    rating_link_days: int = 30
    # Attachments (issue #3): at most this size each.
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachments_per_upload: int = 10


def case_policy() -> CasePolicy:
    overrides = getattr(settings, "KETNOI_CASES", {}) or {}
    known = {f.name for f in fields(CasePolicy)}
    return CasePolicy(**{k: v for k, v in overrides.items() if k in known})
