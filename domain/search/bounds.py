"""The bounds of a filter: every list and text a client can send is capped, every number in range."""

from __future__ import annotations

import re
from dataclasses import replace

from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.library.filters import AssetFilter
from domain.library.model import MAX_RATING

MAX_FILTER_VALUES = 100
"""Ids or values in one list condition (projects, tags, media types, providers, models)."""
MAX_FILTER_TEXT = 128
"""Characters of one text value (a media type, a provider, a model): longer matches no asset."""
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MAX_BIGINT = 2**63


def check_sha256(value: str, *, field: str) -> str:
    """A content hash as 64 hex digits, in lower case; INVALID_INPUT for anything else."""
    lowered = value.lower() if len(value) == 64 else value
    if not _SHA256.fullmatch(lowered):
        raise InvalidInput("a sha256 is 64 hexadecimal digits", field=field)
    return lowered


def check_filter(f: AssetFilter) -> AssetFilter:
    """The filter with its hash in lower case; LIMIT_EXCEEDED or INVALID_INPUT naming the condition."""
    lists: dict[str, tuple[object, ...]] = {
        "projectIds": f.project_ids,
        "anyTagIds": f.any_tag_ids,
        "allTagIds": f.all_tag_ids,
        "mimeTypes": f.mime_types,
        "providers": f.providers,
        "models": f.models,
        "platforms": f.platforms,
        "processingStatuses": f.processing_statuses,
    }
    for name, values in lists.items():
        if len(values) > MAX_FILTER_VALUES:
            raise LimitExceeded(f"at most {MAX_FILTER_VALUES} values", field=f"filter.{name}")
    texts = {"mimeTypes": f.mime_types, "providers": f.providers, "models": f.models}
    for name, strings in texts.items():
        if any(len(v) > MAX_FILTER_TEXT or "\x00" in v for v in strings):
            raise InvalidInput(
                f"a value is at most {MAX_FILTER_TEXT} characters, without NUL", field=f"filter.{name}"
            )
    if f.rating_at_least is not None and not 0 <= f.rating_at_least <= MAX_RATING:
        raise InvalidInput(f"a rating is 0 to {MAX_RATING}", field="filter.ratingAtLeast")
    for name, size in (("minByteSize", f.min_byte_size), ("maxByteSize", f.max_byte_size)):
        if size is not None and not 0 <= size < _MAX_BIGINT:
            raise InvalidInput("a size is zero or more bytes", field=f"filter.{name}")
    if f.sha256 is None:
        return f
    return replace(f, sha256=check_sha256(f.sha256, field="filter.sha256"))
