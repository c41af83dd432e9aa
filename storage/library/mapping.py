"""Library rows to domain dataclasses, field by field name (storage.sql.rows); no ORM hydration."""

from __future__ import annotations

from typing import Any

from domain.library.model import Asset, Folder, Project, Provenance, Tag
from storage.sql.rows import from_row

Row = Any  # sqlalchemy.Row; attribute access by column name


def asset(r: Row) -> Asset:
    # the provenance columns sit on the asset's row; only AI-made assets have one
    return from_row(Asset, r, provenance=from_row(Provenance, r) if r.ai_generated else None)


def folder(r: Row) -> Folder:
    return from_row(Folder, r)


def project(r: Row) -> Project:
    return from_row(Project, r)


def tag(r: Row) -> Tag:
    return from_row(Tag, r)
