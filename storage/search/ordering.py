"""Sorts in SQL: the columns of each order, seeking past a cursor's key, and the key of a row.

Every order ends with the id in the same direction, so rows that tie keep one order and
a page's last key says exactly where the next page starts; assets that arrive meanwhile
sort where they belong without shifting rows past the cursor.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from domain.kernel.errors import InvalidInput
from domain.kernel.pagination import Key
from domain.search.model import AssetSort, SortField, relevance_score
from storage.sql import tables as t

A = t.assets
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

_COLUMNS: dict[SortField, Any] = {
    SortField.UPDATED_AT: A.c.updated_at,
    SortField.NAME: A.c.name_key,
    SortField.BYTE_SIZE: A.c.byte_size,
    SortField.RATING: A.c.rating,
}


def sort_columns(sort: AssetSort, id_col: Any, score: Any | None) -> list[Any]:
    """The expressions the order compares, the id last."""
    if sort.field is SortField.CREATED_AT:
        return [id_col]
    if sort.field is SortField.RELEVANCE:
        return [score, id_col]
    return [_COLUMNS[sort.field], id_col]


def order_and_seek(
    stmt: sa.Select[Any],
    columns: Sequence[Any],
    sort: AssetSort,
    after: Key | None,
    limit: int | sa.BindParameter[int],
) -> sa.Select[Any]:
    """Order by the columns in the sort's direction, past the key `after`, at most `limit` rows."""
    if after is not None:
        stmt = stmt.where(_past(columns, bind_key(sort, after), sort.descending))
    order = [c.desc() if sort.descending else c.asc() for c in columns]
    return stmt.order_by(*order).limit(limit)


def key_of(sort: AssetSort, row: Any) -> Key:
    """The cursor key of a row fetched in this order."""
    if sort.field is SortField.CREATED_AT:
        return (row.id,)
    if sort.field is SortField.RELEVANCE:
        return (repr(float(row.score)), row.id)
    if sort.field is SortField.UPDATED_AT:
        return ((row.updated_at - _EPOCH) // _MICROSECOND, row.id)
    return (getattr(row, _COLUMNS[sort.field].name), row.id)


def bind_key(sort: AssetSort, key: Key) -> list[Any]:
    """A key's parts as the values its columns hold."""
    if sort.field is SortField.UPDATED_AT:
        try:
            return [_EPOCH + int(key[0]) * _MICROSECOND, key[1]]
        except OverflowError:  # past year 9999: no row has such a time
            raise InvalidInput("`after` is not a cursor of this list", field="after") from None
    if sort.field is SortField.RELEVANCE:
        return [relevance_score(key), key[1]]
    return list(key)


def _past(columns: Sequence[Any], values: Sequence[Any], descending: bool) -> sa.ColumnElement[bool]:
    """(c1, c2) < (v1, v2) (or >), spelled out: row values do not use indexes alike on both databases."""
    first, *rest = columns
    value, *rest_values = values
    beyond = first < value if descending else first > value
    if not rest:
        return beyond
    return sa.or_(beyond, sa.and_(first == value, _past(rest, rest_values, descending)))
