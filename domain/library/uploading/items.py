"""What adding uploads to the library takes and gives: the items, their names, their provenance."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from domain.kernel.alt_text import clean_alt_text
from domain.kernel.errors import DomainError, ItemError, ItemErrors, LimitExceeded
from domain.kernel.text import is_blank
from domain.library.model import Asset, Provenance, name_key
from domain.library.saving import MAX_NAME, SaveOptions, default_name
from domain.studio.model import Upload

MAX_DISTINCT_TAGS = 100
"""Distinct tag names one request may name over all its items (each item names at most 20)."""
UNTITLED = "Untitled upload"
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,5}$")


@dataclass(frozen=True, slots=True)
class UploadItem:
    """One upload to add, and how its asset is filed (as saveToLibrary files a saved generation).

    `options.alt_text` is checked at once by the review's rules; None (or blank) means none.
    """

    upload_id: int
    options: SaveOptions = field(default_factory=SaveOptions)

    def checked(self) -> UploadItem:
        """Cleaned and bounded like a save's options; the alt text cleaned by the review's rules."""
        options = self.options.checked()
        alt_text = options.alt_text
        if alt_text is not None:
            alt_text = None if is_blank(alt_text) else clean_alt_text(alt_text)
        return UploadItem(self.upload_id, replace(options, alt_text=alt_text))


@dataclass(frozen=True, slots=True)
class UploadedAsset:
    """What one item became: its asset, and whether the library held those bytes already."""

    asset: Asset
    deduplicated: bool


def checked_items(items: Sequence[UploadItem]) -> list[UploadItem]:
    """Every item's options cleaned, or ItemErrors naming each bad one (`items[2].tags[0]`)."""
    checked, errors = [], []
    for index, item in enumerate(items):
        try:
            checked.append(item.checked())
        except DomainError as e:
            errors.append(ItemError(index, item.upload_id, within(index, e)))
    if errors:
        raise ItemErrors(errors, field="items")
    if len({name_key(t) for i in checked for t in i.options.tags}) > MAX_DISTINCT_TAGS:
        raise LimitExceeded(f"at most {MAX_DISTINCT_TAGS} distinct tags in one request", field="items")
    return checked


def within(index: int, error: DomainError) -> DomainError:
    """The error with its field placed in the item (`items[2].folderId`)."""
    error.field = f"items[{index}].{error.field}" if error.field else f"items[{index}]"
    return error


def fingerprint(items: Sequence[UploadItem]) -> str:
    """What identifies the request for its idempotency key."""
    canonical = [
        [
            i.upload_id,
            i.options.folder_id,
            sorted(i.options.project_ids),
            sorted(name_key(t) for t in i.options.tags),
            i.options.name,
            i.options.description,
            i.options.alt_text,
        ]
        for i in items
    ]
    return hashlib.sha256(json.dumps(canonical, ensure_ascii=False).encode()).hexdigest()


def filename_name(filename: str) -> str:
    """The asset name a cleaned file name gives: without its extension, bounded; "" when blank."""
    stem = _EXTENSION.sub("", filename).strip() or filename.strip()
    stem = stem[:MAX_NAME].strip()
    return "" if is_blank(stem) else stem


def asset_name(upload: Upload, given: str | None) -> str:
    """The name given; else the file's name; else the file's prompt's first clause; else UNTITLED."""
    if given:
        return given
    if name := filename_name(upload.filename):
        return name
    return default_name(upload.prompt) if upload.prompt else UNTITLED


def provenance_of(upload: Upload) -> Provenance | None:
    """What the file's metadata said, as a provenance with no generation or session; None when no
    generator wrote it (then the asset is not AI-generated)."""
    if upload.tool is None:
        return None
    return Provenance(
        generation_id=None,
        session_id=None,
        prompt=upload.prompt,
        negative_prompt=upload.negative_prompt,
        platform=None,
        brand_kit_id=None,
        aspect_ratio=None,
        provider=upload.tool,
        model=upload.model,
        seed=upload.seed,
        credits_used=0,
        created_by_id=upload.member_id,  # who brought the file in
        reviewed_by_id=None,
        reviewed_at=None,
        rights_notes="",
        source="",
        intended_placement="",
    )
