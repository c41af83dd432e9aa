"""The schema's shared parts: the one metadata (its naming convention), the id and time types, and
the columns every table repeats, each helper returning a fresh Column for the table that calls it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # SQLite's rowid alias must be INTEGER


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite keeps no zone, PostgreSQL keeps timestamptz)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def id_column() -> sa.Column[int]:
    return sa.Column("id", Id, primary_key=True, autoincrement=True)


def org_column(*, primary_key: bool = False) -> sa.Column[int]:
    return sa.Column(
        "org_id",
        Id,
        sa.ForeignKey("organisations.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def member_ref(name: str) -> sa.Column[int]:
    return sa.Column(name, Id, sa.ForeignKey("members.id", ondelete="SET NULL"), nullable=True)


def text_column(name: str, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.Text, nullable=False, server_default=default)


def created_column() -> sa.Column[datetime]:
    return sa.Column("created_at", UtcDateTime, nullable=False)
