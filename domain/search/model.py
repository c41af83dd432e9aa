"""What a search asks for: the words to match, the order, the facets; each with its rules."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from domain.kernel.errors import InvalidInput
from domain.kernel.pagination import Key
from domain.library.filters import AssetFilter

MAX_SEARCH_LENGTH = 500
"""Characters of a search; longer is INVALID_INPUT (a prompt-sized search is not a search)."""
MAX_SEARCH_TERMS = 32
"""Words matched of one search; the rest are ignored (each word is one more index lookup)."""

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class SearchText:
    """The words of a search, each matched as a whole word, all required (AND), regardless of case.

    Only the words are kept: quotes, operators, colons and other punctuation are never
    passed to a full-text engine as syntax, so FTS5's `NEAR(`, `"` or `*` mean nothing here.
    A search with no word in it (`***`) matches nothing.
    """

    terms: tuple[str, ...]

    @classmethod
    def parse(cls, text: str | None) -> SearchText | None:
        """The words of `text`; None for no search (None or blank); INVALID_INPUT if too long or with NUL."""
        if text is None or not text.strip():
            return None
        if len(text) > MAX_SEARCH_LENGTH:
            raise InvalidInput(f"a search is at most {MAX_SEARCH_LENGTH} characters", field="search")
        if "\x00" in text:
            raise InvalidInput("a search cannot hold NUL characters", field="search")
        words = tuple(dict.fromkeys(w.casefold() for w in _WORD.findall(text)))
        return cls(terms=words[:MAX_SEARCH_TERMS])


class SortField(StrEnum):
    """What assets are ordered by; every order ends with the id, so ties keep one order."""

    CREATED_AT = "created_at"
    """When the asset entered the library: ids are handed out in that order, so this is the id order."""
    UPDATED_AT = "updated_at"
    NAME = "name"
    """The name regardless of case and Unicode form (its name key)."""
    BYTE_SIZE = "byte_size"
    RATING = "rating"
    RELEVANCE = "relevance"
    """How well the asset matches the search; only with a search."""


_KEY_SHAPES: dict[SortField, tuple[type, ...]] = {
    SortField.CREATED_AT: (int,),
    SortField.UPDATED_AT: (int, int),  # microseconds since the epoch, id
    SortField.NAME: (str, int),
    SortField.BYTE_SIZE: (int, int),
    SortField.RATING: (int, int),
    SortField.RELEVANCE: (str, int),  # the score, written exactly (repr of a float), id
}


@dataclass(frozen=True, slots=True)
class AssetSort:
    """An order of assets: a field and a direction, then the id in the same direction."""

    field: SortField = SortField.CREATED_AT
    descending: bool = True

    @property
    def key_shape(self) -> tuple[type, ...]:
        """The types of a cursor's key in this order."""
        return _KEY_SHAPES[self.field]

    @property
    def name(self) -> str:
        """A name for the order (`NAME_ASC`), which binds a cursor to it."""
        return f"{self.field.name}_{'DESC' if self.descending else 'ASC'}"

    def check(self, search: SearchText | None) -> AssetSort:
        """Itself; INVALID_INPUT for RELEVANCE without a search (there is nothing to be relevant to)."""
        if self.field is SortField.RELEVANCE and search is None:
            raise InvalidInput("sorting by RELEVANCE needs a `search`", field="sort")
        return self


@dataclass(frozen=True, slots=True)
class AssetQuery:
    """Which assets, matched how, in which order: what a page, its count and its facets share."""

    filter: AssetFilter
    search: SearchText | None = None
    sort: AssetSort = AssetSort()


FacetKind = Literal["tag", "project", "folder", "mime_type", "ai_generated", "provider", "model"]
"""What assets are counted by in a facet."""

FACET_LIMIT = 50
"""Values per facet, the most frequent first."""


@dataclass(frozen=True, slots=True)
class FacetCount:
    """How many of the matching assets have one value (a tag id, a folder id or None for the root,
    a media type, a provider, a model, true or false)."""

    value: int | str | bool | None
    count: int


def relevance_score(key: Key) -> float:
    """The score inside a RELEVANCE cursor's key; INVALID_INPUT when it is not a finite number."""
    try:
        score = float(key[0])
    except (TypeError, ValueError):
        raise InvalidInput("`after` is not a cursor of this list", field="after") from None
    if score != score or score in (float("inf"), float("-inf")):
        raise InvalidInput("`after` is not a cursor of this list", field="after")
    return score
