"""The strawberry schema and the extensions every request runs through."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig

from graph.errors import ErrorCodes
from graph.queries import Query
from graph.types.library import Asset, Folder, Project, Tag
from graph.types.organisation import Member, Organisation
from graph.types.scalars import SCALARS
from graph.types.studio import BrandKit, Generation, Session

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5_000

NODE_TYPES = [Asset, Folder, Project, Tag, BrandKit, Session, Generation, Member, Organisation]


def build_schema(*, production: bool = False) -> strawberry.Schema:
    """The schema; production turns introspection off and strips schema hints from errors."""
    extensions: list = [
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: ErrorCodes(production=production),
    ]
    if production:
        extensions.append(DisableIntrospection)
    return strawberry.Schema(
        query=Query,
        types=NODE_TYPES,
        extensions=extensions,
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALARS),
    )


schema = build_schema()
"""The development schema; `atelier export-schema` prints it to schema.graphql."""
