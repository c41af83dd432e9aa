"""The full-text index behind one port: SQLite's FTS5 table, or PostgreSQL's tsvector table.

Both are kept by triggers (migration 0008). Both are given only the search's words,
each quoted, so no client text is ever read as FTS5 or tsquery syntax; all words must
match (AND), each a whole word regardless of case.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.search.model import SearchText
from storage.sql import tables as t

A = t.assets

_FTS5 = sa.table("asset_search", sa.column("rowid"))
# bm25's column weights, in the table's column order: name, description, alt text, prompt,
# negative prompt, tag names. A name or tag hit says more than one word of a long prompt.
_BM25_WEIGHTS = "10.0, 2.0, 2.0, 1.0, 0.5, 5.0"

_TSVECTORS = sa.table("asset_search", sa.column("asset_id"), sa.column("org_id"), sa.column("document"))


def fts5_expression(search: SearchText) -> str:
    """The FTS5 query of the words: each a quoted string (inner quotes doubled), all required."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in search.terms)


class FullText:
    """The SQL of the full-text index on one database."""

    def __init__(self, dialect: str) -> None:
        self.sqlite = dialect == "sqlite"

    def matching_ids(self, org_id: int, search: SearchText) -> sa.Select[Any]:
        """The ids of the assets (of any organisation on SQLite: the caller scopes) holding every word."""
        if self.sqlite:
            return sa.select(_FTS5.c.rowid).where(self._fts5_match(search))
        s = _TSVECTORS
        return sa.select(s.c.asset_id).where(s.c.org_id == org_id, self._tsmatch(search))

    def joined(self, org_id: int, search: SearchText) -> tuple[Any, sa.ColumnElement[bool], Any]:
        """(the index joined to assets, the match condition, the index's id column): the index drives
        the join, so newest first walks FTS5's rowids downwards and stops at the page's end."""
        if self.sqlite:
            return _FTS5.join(A, A.c.id == _FTS5.c.rowid), self._fts5_match(search), _FTS5.c.rowid
        s = _TSVECTORS
        match = sa.and_(s.c.org_id == org_id, self._tsmatch(search))
        # `+ 0`: PostgreSQL cannot know how rare a word is (a word outside its statistics is
        # guessed at 0.5% of rows), and given the id order it walks the ids down testing every
        # document: 130 ms for a word of one asset in 100,000, growing with the library. Without
        # it, the GIN index finds every match and the page is a top-N sort of them: about 1 ms
        # for a rare word, tens of ms for a word in one asset in eight.
        return s.join(A, A.c.id == s.c.asset_id), match, s.c.asset_id + 0

    def score(self, search: SearchText) -> sa.ColumnElement[float]:
        """How well a row of `joined` matches, higher is better: FTS5's bm25 (negated: lower is better
        there) with column weights, or PostgreSQL's ts_rank with its weights by label (name A, tags B,
        description and alt text C, prompts D)."""
        if self.sqlite:
            return -sa.func.bm25(sa.literal_column("asset_search"), sa.literal_column(_BM25_WEIGHTS))
        return sa.func.ts_rank(_TSVECTORS.c.document, self._tsquery(search))

    def _fts5_match(self, search: SearchText) -> sa.ColumnElement[bool]:
        return sa.literal_column("asset_search").op("MATCH")(
            sa.bindparam("fts5_query", fts5_expression(search), type_=sa.Text)
        )

    def _tsquery(self, search: SearchText) -> sa.ColumnElement[Any]:
        # plainto_tsquery: the words ANDed, punctuation ignored; websearch_to_tsquery would give
        # quotes, `or` and `-` a meaning FTS5 does not share here
        return sa.func.plainto_tsquery(
            sa.literal_column("'simple'::regconfig"),
            sa.bindparam("tsquery_words", " ".join(search.terms), type_=sa.Text),
        )

    def _tsmatch(self, search: SearchText) -> sa.ColumnElement[bool]:
        return _TSVECTORS.c.document.op("@@")(self._tsquery(search))
