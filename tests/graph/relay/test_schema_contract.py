"""The checked-in schema.graphql is what the code generates, and everything in it is described."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from graph.schema import schema

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_sdl_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text()
    assert schema.as_str() + "\n" == committed, "schema.graphql drifted: run `atelier export-schema`"


def test_every_type_field_and_argument_has_a_description():
    missing = []
    for name, graphql_type in schema._schema.type_map.items():
        if name.startswith("__") or name in {"String", "Int", "Float", "Boolean", "ID"}:
            continue
        if not graphql_type.description:
            missing.append(name)
        if isinstance(graphql_type, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in graphql_type.fields.items():
                if not field.description:
                    missing.append(f"{name}.{field_name}")
                missing += [
                    f"{name}.{field_name}({a})" for a, arg in field.args.items() if not arg.description
                ]
        if isinstance(graphql_type, GraphQLInputObjectType):
            missing += [f"{name}.{f}" for f, field in graphql_type.fields.items() if not field.description]
        if isinstance(graphql_type, GraphQLEnumType) and not graphql_type.description:
            missing.append(name)
    assert missing == []


async def test_a_repeated_document_is_validated_once(client, tenant):
    """Validation costs milliseconds per request; the cache must hit with the limit rules in place."""
    from strawberry.extensions.validation_cache import _get_validate_cache

    from graph.schema import VALIDATION_CACHE_SIZE
    from tests.builders import gql

    cache = _get_validate_cache(VALIDATION_CACHE_SIZE)
    # processingStatus keeps the response cache out of it: a cached answer skips validation altogether
    query = "{ assets(first: 3) { edges { node { name processingStatus tags { name } } } } } # cache-probe"
    await gql(client, tenant.token, query)
    before = cache.cache_info()
    for _ in range(3):
        status, _ = await gql(client, tenant.token, query)
        assert status == 200
    after = cache.cache_info()
    assert after.hits - before.hits == 3 and after.misses == before.misses
