"""The strawberry schema and the extensions every request runs through."""

from __future__ import annotations

import strawberry
from graphql.validation import ASTValidationRule
from strawberry.extensions import AddValidationRules, DisableIntrospection, MaxTokensLimiter, ParserCache
from strawberry.extensions.max_aliases import create_validator as alias_limit_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_limit_rule
from strawberry.schema.config import StrawberryConfig

from graph.events.queries import EventQueries
from graph.events.subscriptions import EventSubscriptions
from graph.library.mutations import LibraryMutations
from graph.library.placement_types import Placement
from graph.library.placements import PlacementMutations, PlacementQueries
from graph.library.queries import LibraryQueries
from graph.library.trash import TrashMutations
from graph.library.types import Asset, Folder, Project, Tag
from graph.library.uploading import LibraryUploadMutations
from graph.limits.cost import DEFAULT_MAX_QUERY_COST, QueryCost
from graph.limits.document_bounds import BoundedValidationCache
from graph.organisations.queries import OrganisationQueries
from graph.organisations.types import Member, Organisation
from graph.processing.mutations import ProcessingMutations
from graph.relay.errors import ErrorCodes, LoggedSchema
from graph.relay.executor import PlainFieldExecutor
from graph.relay.scalars import SCALARS
from graph.search.queries import SearchQueries
from graph.studio.mutations import StudioMutations
from graph.studio.queries import StudioQueries
from graph.studio.review import ReviewMutations
from graph.studio.types import BrandKit, Generation, Session
from graph.webhooks.mutations import WebhookMutations
from graph.webhooks.queries import WebhookQueries
from graph.webhooks.types import Webhook, WebhookDelivery

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 2_000
"""Room for an SPA's query with its fragments (the largest README example is 293 tokens);
validation time is bounded by the field count of graph/document_bounds.py, not by this."""
VALIDATION_CACHE_SIZE = 512

# QueryDepthLimiter and MaxAliasesLimiter build a new rule class per instance, and
# strawberry builds extensions per request, so the validation cache (keyed by the
# rule classes) would never hit. The rule classes are built once here instead.
LIMIT_RULES: list[type[ASTValidationRule]] = [
    depth_limit_rule(MAX_DEPTH, should_ignore=None),
    alias_limit_rule(MAX_ALIASES),
]


@strawberry.type(description="Everything a member of an organisation can read.")
class Query(
    OrganisationQueries,
    LibraryQueries,
    SearchQueries,
    StudioQueries,
    PlacementQueries,
    EventQueries,
    WebhookQueries,
):
    pass


@strawberry.type(
    description="Changes. Expected failures come back in each payload's `userErrors`; nothing is half done."
)
class Mutation(
    StudioMutations,
    ReviewMutations,
    LibraryMutations,
    LibraryUploadMutations,
    TrashMutations,
    PlacementMutations,
    ProcessingMutations,
    WebhookMutations,
):
    pass


@strawberry.type(
    description="Live events over a websocket (graphql-transport-ws at /graphql); each can resume with "
    "`after`."
)
class Subscription(EventSubscriptions):
    pass


NODE_TYPES = [
    Asset,
    Folder,
    Project,
    Tag,
    BrandKit,
    Session,
    Generation,
    Member,
    Organisation,
    Placement,
    Webhook,
    WebhookDelivery,
]


def build_schema(
    *, production: bool = False, max_query_cost: int = DEFAULT_MAX_QUERY_COST
) -> strawberry.Schema:
    """The schema; production turns introspection off and strips schema hints from errors."""
    extensions: list = [
        lambda: ParserCache(maxsize=512),
        lambda: BoundedValidationCache(maxsize=VALIDATION_CACHE_SIZE),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: AddValidationRules(LIMIT_RULES),
        lambda: ErrorCodes(production=production),
        lambda: QueryCost(limit=max_query_cost),
    ]
    if production:
        extensions.append(DisableIntrospection)
    return LoggedSchema(
        query=Query,
        mutation=Mutation,
        subscription=Subscription,
        types=NODE_TYPES,
        extensions=extensions,
        execution_context_class=PlainFieldExecutor,
        config=StrawberryConfig(auto_camel_case=True, scalar_map=SCALARS),
    )


schema = build_schema()
"""The development schema; `atelier export-schema` prints it to schema.graphql."""
