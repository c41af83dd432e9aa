"""Opaque global ids (`base64("Asset:42")`, Relay style) and keyset cursors.

Decoding never trusts its input: anything malformed, of another type, or out of
range answers like an id that does not exist.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence

import orjson
import strawberry

from domain.errors import InvalidInput, NotFound
from domain.pagination import Key

_MAX_ID_LENGTH = 128
_MAX_CURSOR_LENGTH = 512
_MAX_DB_ID = 2**63 - 1


def to_global_id(type_name: str, id: int) -> strawberry.ID:
    """The opaque id clients see."""
    return strawberry.ID(base64.b64encode(f"{type_name}:{id}".encode()).decode())


def parse_global_id(value: str) -> tuple[str, int] | None:
    """(type name, database id), or None when the value is not one of our ids."""
    if not isinstance(value, str) or len(value) > _MAX_ID_LENGTH:
        return None
    try:
        type_name, _, raw = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not type_name.isalpha() or not raw.isascii() or not raw.isdigit() or len(raw) > 19:
        return None
    number = int(raw)
    if not 0 < number <= _MAX_DB_ID:
        return None
    return type_name, number


def decode_id(value: str, type_name: str, *, field: str) -> int:
    """The database id inside a global id of `type_name`; NotFound for anything else."""
    parsed = parse_global_id(value)
    if parsed is None or parsed[0] != type_name:
        raise NotFound(f"no {type_name} has this id", field=field)
    return parsed[1]


def decode_id_list(values: Sequence[str], type_name: str) -> list[int]:
    """Database ids in input order; anything not an id of `type_name` becomes 0, which matches nothing.

    The domain then names those items NOT_FOUND by their position, like unknown ids.
    """
    out = []
    for value in values:
        parsed = parse_global_id(value)
        out.append(parsed[1] if parsed is not None and parsed[0] == type_name else 0)
    return out


def decode_optional_id(value: str | None, type_name: str, *, field: str) -> int | None:
    """Like decode_id, passing None through."""
    return None if value is None else decode_id(value, type_name, field=field)


def encode_cursor(key: Key) -> str:
    """An opaque cursor for a row's sort key."""
    return base64.urlsafe_b64encode(orjson.dumps(key)).decode().rstrip("=")


def decode_cursor(value: str | None) -> Key | None:
    """The sort key inside a cursor; the list's service checks that it fits its order."""
    if value is None:
        return None
    bad = InvalidInput("`after` is not a cursor this API gave out", field="after")
    if not isinstance(value, str) or len(value) > _MAX_CURSOR_LENGTH:
        raise bad
    try:
        decoded = orjson.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError, orjson.JSONDecodeError):
        raise bad from None
    if not isinstance(decoded, list) or not all(isinstance(part, int | str) for part in decoded):
        raise bad
    return tuple(decoded)
