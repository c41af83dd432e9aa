"""What every organising use case checks of the text it is given: names and descriptions."""

from __future__ import annotations

from domain.kernel.text import clean_text

MAX_NAME = 200
MAX_DESCRIPTION = 2000


def clean_name(name: str) -> str:
    """A folder, project or tag name: one line, not blank, at most MAX_NAME characters, no credential."""
    return clean_text(name, field="name", max_length=MAX_NAME, required=True, single_line=True)


def clean_description(description: str) -> str:
    """A description: lines allowed, at most MAX_DESCRIPTION characters, no credential."""
    return clean_text(description, field="description", max_length=MAX_DESCRIPTION)
