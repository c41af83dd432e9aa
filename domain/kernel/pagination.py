"""Keyset pagination: page requests, their bounds, and pages of results.

A page is addressed by the sort key of the last row seen (keyset), never by an
offset, so deep pages cost the same as the first and rows added meanwhile do not
shift what comes next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from domain.kernel.errors import InvalidInput, LimitExceeded

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

T = TypeVar("T")
Key = tuple[int | str, ...]
"""The sort key of one row, e.g. (id,) for newest-first lists or (name_key, id) for lists by name."""

NEWEST_FIRST: tuple[type, ...] = (int,)
BY_NAME: tuple[type, ...] = (str, int)


@dataclass(frozen=True, slots=True)
class PageRequest:
    """How many rows to return, and after which key."""

    first: int
    after: Key | None = None

    @classmethod
    def of(cls, first: int | None, after: Key | None, *, shape: tuple[type, ...]) -> PageRequest:
        """Validate a client's `first` and decoded `after` against the list's key shape."""
        if first is None:
            first = DEFAULT_PAGE_SIZE
        if first < 0:
            raise InvalidInput("`first` must be zero or more", field="first")
        if first > MAX_PAGE_SIZE:
            raise LimitExceeded(f"`first` may be at most {MAX_PAGE_SIZE}; page with `after`", field="first")
        if after is not None and not _fits(after, shape):
            raise InvalidInput("`after` is not a cursor of this list", field="after")
        return cls(first=first, after=after)


# Longer than the key of any name we accept (200 characters, each folding to at most 3), so
# every key the API hands out fits; the cap only keeps a forged key from costing anything.
MAX_KEY_TEXT = 2048


def _fits(key: Key, shape: tuple[type, ...]) -> bool:
    # bool is an int subclass: a cursor holding true/false is forged
    return len(key) == len(shape) and all(
        type(part) is kind and _in_range(part) for part, kind in zip(key, shape, strict=True)
    )


def _in_range(part: int | str) -> bool:
    if isinstance(part, int):
        return -(2**63) <= part < 2**63
    # any text a name can hold pages on (format characters, emoji sequences, right-to-left
    # overrides); NUL cannot be in a name, and PostgreSQL would refuse it with an error
    return len(part) <= MAX_KEY_TEXT and "\x00" not in part and not _has_surrogate(part)


def _has_surrogate(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return True
    return False


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of rows with the sort key of each, and whether more follow."""

    items: Sequence[T]
    keys: Sequence[Key]
    has_next: bool

    @classmethod
    def empty(cls) -> Page[T]:
        """A page with no rows."""
        return cls(items=(), keys=(), has_next=False)
