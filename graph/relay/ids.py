"""Opaque global ids (`base64("Asset:42")`, Relay style) and signed keyset cursors.

Decoding never trusts its input: anything malformed, of another type, or out of
range answers like an id that does not exist.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import zlib
from collections.abc import Sequence

import orjson
import strawberry
from itsdangerous import BadData, URLSafeSerializer

from domain.kernel.errors import InvalidInput, NotFound
from domain.kernel.pagination import Key

_MAX_ID_LENGTH = 128
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


class Cursors:
    """The signing key of cursors; `of(list)` gives the cursors of one list."""

    def __init__(self, secret_key: str | bytes) -> None:
        self._secret_key = secret_key
        self._lists: dict[str, ListCursors] = {}

    def of(self, list_name: str) -> ListCursors:
        """The cursors of one list (`Query.assets`, `Folder.assets`, ...): no other list takes them."""
        cursors = self._lists.get(list_name)
        if cursors is None:
            cursors = self._lists[list_name] = ListCursors(self._secret_key, list_name)
        return cursors


_NEVER_COMPRESSED = 10
_KEPT_CURSORS = 4096
"""Encoded cursors kept per list (a few hundred kilobytes at most for ids; names are longer)."""


class ListCursors:
    """Opaque, signed keyset cursors of one list: every cursor handed out pages on, whatever its key holds.

    A cursor carries its row's whole sort key (a name key may hold emoji sequences,
    right-to-left overrides or zero-width characters), compressed when that is shorter and
    signed with HMAC-SHA256 (itsdangerous). The list's name is the signature's salt, so a
    cursor of another list fails its signature: two lists sorted alike (assets and
    generations, newest first) would otherwise page each other silently. Its size is
    bounded by the names it can come from, not by refusing them; a cursor that was not
    signed for this list with this server's key is refused before its payload is decoded
    or decompressed.
    """

    def __init__(self, secret_key: str | bytes, list_name: str) -> None:
        self._serializer = URLSafeSerializer(
            secret_key,
            salt=f"atelier.cursor.{list_name}",
            serializer=_Json,
            signer_kwargs={"digest_method": hashlib.sha256},
        )
        # A page hands out a cursor per edge; itsdangerous builds a signer and derives
        # its key on every call (~80 µs a cursor), so `encode` writes the same bytes
        # itself with the key derived once. `decode` keeps itsdangerous's checks.
        self._signing_key = self._serializer.make_signer(self._serializer.salt).derive_key()
        # the same rows' cursors are handed out again and again (every view of a list's first
        # page): kept, a cursor costs a lookup instead of an HMAC
        self._encoded: dict[Key, str] = {}

    def encode(self, key: Key) -> str:
        """The cursor for a row's sort key: exactly what `self._serializer.dumps(list(key))` gives."""
        # only ids and names: a score of 1.0 equals an id of 1 as a dict key, but not as a cursor
        plain = all(type(part) is int or type(part) is str for part in key)
        if plain and (cursor := self._encoded.get(key)) is not None:
            return cursor
        cursor = self._signed(key)
        if plain:
            if len(self._encoded) >= _KEPT_CURSORS:
                self._encoded.clear()
            self._encoded[key] = cursor
        return cursor

    def _signed(self, key: Key) -> str:
        payload = orjson.dumps(list(key))
        # zlib's output is at least 8 bytes (header, empty block, checksum) and more for any
        # data, so a payload of up to 10 bytes (an id below 10^8) is never sent compressed
        compressed = zlib.compress(payload) if len(payload) > _NEVER_COMPRESSED else payload
        if len(compressed) < len(payload) - 1:
            body = b"." + base64.urlsafe_b64encode(compressed).rstrip(b"=")
        else:
            body = base64.urlsafe_b64encode(payload).rstrip(b"=")
        signature = hmac.digest(self._signing_key, body, "sha256")
        return (body + b"." + base64.urlsafe_b64encode(signature).rstrip(b"=")).decode()

    def decode(self, value: str | None) -> Key | None:
        """The sort key inside a cursor; the list's service checks that it fits its order."""
        if value is None:
            return None
        bad = InvalidInput("`after` is not a cursor this list gave out", field="after")
        if not isinstance(value, str) or len(value) > MAX_CURSOR_LENGTH or not value.isascii():
            raise bad
        try:
            decoded = self._serializer.loads(value)
        except BadData:
            raise bad from None
        if not isinstance(decoded, list) or not all(isinstance(part, int | str) for part in decoded):
            raise bad
        return tuple(decoded)


# Above the longest cursor the API can hand out: a name of 200 characters that each fold to
# 12 bytes of UTF-8 makes a key of 2,400 bytes, 3,200 once in base64, plus id and signature.
MAX_CURSOR_LENGTH = 4096


class _Json:
    """orjson for itsdangerous: compact UTF-8, where the stdlib would spell CJK as six-byte escapes."""

    @staticmethod
    def dumps(value: object) -> str:
        return orjson.dumps(value).decode()

    @staticmethod
    def loads(value: str | bytes) -> object:
        return orjson.loads(value)
