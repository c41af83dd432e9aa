"""Organisation, member and token rows to domain dataclasses, field by field name (storage.sql.rows)."""

from __future__ import annotations

from typing import Any

from domain.organisations.model import ApiToken, Member, Organisation
from storage.sql.rows import from_row

Row = Any  # sqlalchemy.Row; attribute access by column name


def organisation(r: Row) -> Organisation:
    return from_row(Organisation, r)


def member(r: Row) -> Member:
    return from_row(Member, r)


def api_token(r: Row) -> ApiToken:
    return from_row(ApiToken, r)
