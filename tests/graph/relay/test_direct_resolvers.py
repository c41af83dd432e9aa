"""Which resolvers the executor calls directly, and that a direct call answers as strawberry's does.

The differential test (test_plain_field_executor.py) compares the two executors over the
whole schema; here a small schema pins down errors raised inside directly called resolvers,
null propagation through them, and the source check that decides which resolvers qualify.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import strawberry
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from graph.relay.direct_resolvers import direct_call, reads_only_context
from graph.relay.executor import Counters, PlainFieldExecutor
from graph.schema import schema as atelier_schema


def helper(info: Any) -> Any:
    return info


async def context_only(self: Any, info: Info) -> Any:
    return await info.context.loaders.library.asset_tags.load(self.pk)


def passes_info_on(self: Any, info: Info) -> Any:
    return helper(info)


def reads_the_path(self: Any, info: Info) -> Any:
    return info.path


def hides_it_in_a_lambda(self: Any, info: Info) -> Any:
    return (lambda: info)().context


class TestTheSourceCheck:
    @pytest.mark.parametrize(
        ("func", "expected"),
        [
            (context_only, True),
            (passes_info_on, False),
            (reads_the_path, False),
            (hides_it_in_a_lambda, False),
        ],
    )
    def test_only_resolvers_that_read_nothing_of_info_but_its_context_qualify(self, func, expected):
        assert reads_only_context(func, "info") is expected

    def test_the_schemas_relation_resolvers_qualify_and_link_makers_do_not(self):
        fields = atelier_schema._schema.type_map["Asset"].fields
        assert direct_call(fields["tags"]) is not None
        assert direct_call(fields["folder"]) is not None
        assert direct_call(fields["thumbnailUrl"]) is None  # passes info on to sign a link
        assert direct_call(fields["name"]) is None  # a plain attribute: no resolver at all
        assert direct_call(atelier_schema._schema.type_map["Query"].fields["assets"]) is None  # arguments


class Boom(Exception):
    pass


@strawberry.type
class Item:
    n: int

    @strawberry.field
    async def doubled(self, info: Info) -> int:
        return self.n * info.context["factor"]

    @strawberry.field
    async def fails(self, info: Info) -> int | None:
        if info.context["fail"] == self.n:
            raise Boom(f"item {self.n} failed")
        return self.n

    @strawberry.field
    def must(self, info: Info) -> int:
        if info.context["fail"] == self.n:
            raise Boom(f"item {self.n} must not fail")
        return self.n

    @strawberry.field
    async def nothing(self, info: Info) -> int:
        return info.context["nothing"]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item | None]:
        return [Item(n=n) for n in range(4)]


small = strawberry.Schema(query=Query)


async def answer(executor: type, query: str, context: dict[str, Any]) -> str:
    small.execution_context_class = executor
    result = await small.execute(query, context_value=context)
    errors = [e.formatted for e in result.errors or []]
    return json.dumps({"data": result.data, "errors": errors})


class TestSameAnswers:
    @pytest.mark.parametrize(
        "query",
        [
            "{ items { n doubled } }",
            "{ items { n fails } }",
            "{ items { n must } }",
            "{ items { n nothing } }",
            "{ items { a: fails b: must c: doubled } }",
        ],
    )
    async def test_a_direct_call_answers_as_strawberrys_own(self, query):
        context = {"factor": 3, "fail": 2, "nothing": None}
        before = Counters.called
        ours = await answer(PlainFieldExecutor, query, context)
        assert Counters.called > before  # the resolvers were called directly
        assert ours == await answer(StrawberryGraphQLCoreExecutionContext, query, context)
