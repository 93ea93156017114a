"""The one helper that writes audit events."""

import datetime
import decimal
import uuid

from django.db import models

from .models import AuditEvent


def snapshot(obj: models.Model | None) -> dict | None:
    """The concrete field values of a record, JSON-ready; secrets are left out."""
    if obj is None:
        return None
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in {"password"} or getattr(field, "audit_secret", False):
            continue
        value = field.value_from_object(obj)
        if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
            value = value.isoformat()
        elif isinstance(value, (decimal.Decimal, uuid.UUID)):
            value = str(value)
        elif isinstance(value, (bytes, memoryview)):
            value = f"<{len(value)} bytes>"
        elif hasattr(value, "name") and hasattr(value, "storage"):  # FieldFile
            value = value.name or ""
        data[field.name] = value
    return data


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Record that `actor` did `action` to `obj`, with its state before and after.

    Call it inside the service's transaction, so the event and the change land together.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk or "")
        object_repr = object_repr or str(obj)[:255]
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "system")[:150],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        before=before,
        after=after,
        ip=ip,
    )
