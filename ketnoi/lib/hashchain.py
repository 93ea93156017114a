"""The hash chain of the audit trail: each record's hash covers its content and the hash of the
record before it, so changing, removing or inserting a record breaks every link after it.

The canonical form must never change: events written years ago are verified with it. It is
JSON with sorted keys, no spaces, ASCII only (so that no Unicode normalisation of a database or
a terminal can alter the bytes), hashed with SHA-256.
"""

import hashlib
import json
from datetime import UTC, datetime

# The "previous hash" of the first record of a chain.
GENESIS = "0" * 64


def canonical(fields: dict) -> bytes:
    """The bytes that are hashed: ``fields`` (JSON values, datetimes) as sorted-key JSON."""
    return json.dumps(fields, sort_keys=True, ensure_ascii=True, separators=(",", ":"),
                      allow_nan=False, default=_encode).encode("ascii")


def _encode(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no single canonical form")
        return value.astimezone(UTC).isoformat()
    raise TypeError(f"{type(value).__name__} has no canonical form")


def link_hash(fields: dict, prev_hash: str) -> str:
    """The hash of one record of the chain: its fields and the previous record's hash."""
    if "prev_hash" in fields:
        raise ValueError("prev_hash is given apart from the fields")
    return hashlib.sha256(canonical({**fields, "prev_hash": prev_hash})).hexdigest()
