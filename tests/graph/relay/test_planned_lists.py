"""Lists completed from a plan answer what graphql-core answers, and give way to it on anything unusual.

A small schema exercises what the plan covers (leaves, `__typename`, plain attributes, nested
lists, resolvers called directly that await a DataLoader) and what makes it give way (a
resolver that raises, a null in a non-null place, an object of the wrong type, a value that
does not serialise). Each query runs on both executors and the answers must be equal,
errors and their order included; the counters show which road the list took.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import strawberry
from strawberry.dataloader import DataLoader
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.types import Info

from graph.relay.executor import Counters, PlainFieldExecutor


@strawberry.type
class Leaf:
    n: int
    label: str | None


@strawberry.type
class Node:
    n: int
    kids: list[Leaf]
    maybe_kids: list[Leaf | None] | None
    strict: int

    @strawberry.field
    async def loaded(self, info: Info) -> Leaf | None:
        return await info.context["leaves"].load(self.n)

    @strawberry.field
    async def many(self, info: Info) -> list[Leaf]:
        found = await info.context["leaves"].load(self.n)
        return [found, found] if found is not None else []

    @strawberry.field
    async def raises(self, info: Info) -> int | None:
        if self.n == info.context["fail"]:
            raise ValueError(f"node {self.n} refused")
        return self.n

    @strawberry.field
    async def strict_loaded(self, info: Info) -> Leaf:
        return await info.context["leaves"].load(self.n)

    @strawberry.field
    def wrong(self, info: Info) -> Leaf:
        return info.context["wrong"] if self.n == 1 else Leaf(n=self.n, label=None)


@strawberry.type
class Query:
    @strawberry.field
    def nodes(self, info: Info) -> list[Node]:
        gaps = info.context["gaps"]
        return [
            Node(
                n=n,
                kids=[Leaf(n=k, label=None if k in gaps else f"k{k}") for k in range(3)],
                maybe_kids=[None, Leaf(n=n, label="x")] if n % 2 else None,
                strict=info.context["strict"] if n == 2 else n,
            )
            for n in range(4)
        ]


small = strawberry.Schema(query=Query)


def context(**overrides: Any) -> dict[str, Any]:
    async def load(keys: list[int]) -> list[Leaf | None]:
        return [None if k in overrides.get("missing", ()) else Leaf(n=k, label=f"l{k}") for k in keys]

    values = {"fail": -1, "gaps": (), "strict": 2, "wrong": object(), "missing": ()}
    values.update(overrides)
    values["leaves"] = DataLoader(load_fn=load)
    return values


async def answer(executor: type, query: str, **overrides: Any) -> str:
    small.execution_context_class = executor
    result = await small.execute(query, context_value=context(**overrides))
    return json.dumps({"data": result.data, "errors": [e.formatted for e in result.errors or []]})


async def both(query: str, **overrides: Any) -> tuple[str, int, int]:
    planned, abandoned = Counters.planned, Counters.abandoned
    ours = await answer(PlainFieldExecutor, query, **overrides)
    counts = Counters.planned - planned, Counters.abandoned - abandoned
    assert ours == await answer(StrawberryGraphQLCoreExecutionContext, query, **overrides)
    return ours, *counts


class TestWhatThePlanCovers:
    @pytest.mark.parametrize(
        "query",
        [
            "{ nodes { n __typename kids { n label __typename } } }",
            "{ nodes { a: n loaded { n label } many { label } } }",
            "{ nodes { maybeKids { n } loaded { n } } }",
            "{ nodes { n ...F } } fragment F on Node { strict kids { n } loaded { label } }",
            "{ nodes { n @include(if: false) loaded @skip(if: true) { n } kids { n } } }",
        ],
    )
    async def test_it_answers_as_graphql_core_and_takes_the_plan(self, query):
        answer_, planned, abandoned = await both(query, gaps=(1,))  # a null where null may be
        assert '"errors": []' in answer_
        assert planned >= 1 and abandoned == 0


class TestWhatMakesItGiveWay:
    @pytest.mark.parametrize(
        ("query", "overrides"),
        [
            ("{ nodes { n raises } }", {"fail": 2}),
            ("{ nodes { n loaded { n } raises } }", {"fail": 0}),
            ("{ nodes { strict } }", {"strict": None}),
            ("{ nodes { n strictLoaded { n } } }", {"missing": (1, 3)}),
            ("{ nodes { n wrong { n } } }", {}),
            ("{ nodes { n strict } }", {"strict": "not a number"}),
        ],
    )
    async def test_it_answers_as_graphql_core(self, query, overrides):
        await both(query, **overrides)

    async def test_a_resolver_that_raises_abandons_the_plan(self):
        answer_, _, abandoned = await both("{ nodes { n raises } }", fail=2)
        assert abandoned == 1
        assert "node 2 refused" in answer_

    async def test_a_null_in_a_non_null_place_abandons_the_plan(self):
        answer_, _, abandoned = await both("{ nodes { n strictLoaded { n } } }", missing=(1,))
        assert abandoned == 1
        assert "Cannot return null for non-nullable field Node.strictLoaded" in answer_
