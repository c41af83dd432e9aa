"""An asset's relations in a projected page (storage.sql.projected): the library's lists and the search's."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from domain.kernel.projection import Related
from storage.sql import prepared
from storage.sql import tables as t
from storage.sql.projected import related_many, related_one


def asset_relation(related: Related, rows: sa.Subquery) -> sa.ColumnElement[Any]:
    """An asset's folder, generation, tags or projects beside each of a projected page's `rows`."""
    org = prepared.org_id()
    if related.name == "folder":
        f = t.folders
        return related_one(f, related, f.c.org_id == org, f.c.id == rows.c.folder_id)
    if related.name == "generation":
        g = t.generations
        # an asset's generation is part of its provenance: only an AI-made asset has one
        return related_one(g, related, g.c.org_id == org, g.c.id == rows.c.generation_id, rows.c.ai_generated)
    link, target, col = (
        (t.asset_tags, t.tags, "tag_id")
        if related.name == "tags"
        else (t.asset_projects, t.projects, "project_id")
    )
    return related_many(
        target,
        related,
        link,
        target.c.id == link.c[col],
        [link.c.org_id == org, link.c.asset_id == rows.c.id],
        [target.c.name_key, target.c.id],  # by name, as tags_of_assets and projects_of_assets
        correlate=rows,
    )


ASSET_LISTS = frozenset({"tags", "projects"})
"""The relations of an asset to many."""
