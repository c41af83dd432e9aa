"""Hypothesis strategies for GraphQL documents over the whole schema, walked from its types.

A document picks root fields of `Query`, then fields of each object type it meets, and
wraps selections the ways clients do: aliases (also two fields under one key), inline
fragments, named fragments, `@skip`/`@include` by a literal or a variable, `__typename`,
and each interface's or union's members by inline fragment. Arguments are given only
where a value is known to fit: small `first`s (inline or by variable), ids from a pool
that holds ids of the right type, of the wrong type and of nothing, strings from a pool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from hypothesis import strategies as st

SKIPPED_FIELDS = re.compile(r"^(downloadUrl|thumbnailUrl|imageUrl|similarAssets)$")
"""Signed links carry the second they were signed in, so two runs differ without a fault;
similarity search is left to its own tests."""
MAX_DEPTH = 4


@dataclass
class Document:
    """A document being drawn: its variables and named fragments grow as selections need them."""

    schema: GraphQLSchema
    ids: list[str]
    words: list[str]
    variables: dict[str, tuple[str, Any]] = field(default_factory=dict)  # name -> (type, value)
    fragments: list[str] = field(default_factory=list)
    aliases: int = 0

    def alias(self) -> str:
        self.aliases += 1
        return f"a{self.aliases}"

    def variable(self, type_name: str, value: Any) -> str:
        name = f"v{len(self.variables)}"
        self.variables[name] = (type_name, value)
        return f"${name}"

    def text(self, selection: str) -> str:
        declared = ", ".join(f"${n}: {t}" for n, (t, _) in self.variables.items())
        head = f"query Random({declared})" if declared else "query Random"
        return "\n".join([f"{head} {{ {selection} }}", *self.fragments])

    def values(self) -> dict[str, Any]:
        return {n: v for n, (_, v) in self.variables.items()}


def _arguments(draw: st.DrawFn, doc: Document, graphql_field: GraphQLField) -> str | None:
    """The field's arguments as text, or None when a required one has no value we can make."""
    given = []
    for name, argument in graphql_field.args.items():
        required = isinstance(argument.type, GraphQLNonNull) and argument.default_value is Undefined
        named = get_named_type(argument.type)
        is_list = isinstance(
            argument.type.of_type if isinstance(argument.type, GraphQLNonNull) else argument.type, GraphQLList
        )
        if name == "first" and draw(st.booleans()):
            value = draw(st.integers(min_value=0, max_value=3))
            given.append(f"{name}: {doc.variable('Int', value) if draw(st.booleans()) else value}")
        elif named.name == "ID" and (required or draw(st.integers(0, 4)) == 0):
            ids = draw(st.lists(st.sampled_from(doc.ids), min_size=1, max_size=3))
            if is_list:
                literal = "[" + ", ".join(f'"{i}"' for i in ids) + "]"
                given.append(f"{name}: {literal}")
            elif draw(st.booleans()):
                given.append(f"{name}: {doc.variable('ID!', ids[0])}")
            else:
                given.append(f'{name}: "{ids[0]}"')
        elif (
            named.name == "String"
            and not is_list
            and (required or (name == "search" and draw(st.booleans())))
        ):
            given.append(f'{name}: "{draw(st.sampled_from(doc.words))}"')
        elif (
            isinstance(named, GraphQLEnumType) and not is_list and (required or draw(st.integers(0, 3)) == 0)
        ):
            given.append(f"{name}: {draw(st.sampled_from(sorted(named.values)))}")
        elif required:
            return None
    return f"({', '.join(given)})" if given else ""


def _directive(draw: st.DrawFn, doc: Document) -> str:
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return f" @skip(if: {doc.variable('Boolean!', draw(st.booleans()))})"
    if kind == 1:
        return f" @include(if: {doc.variable('Boolean!', draw(st.booleans()))})"
    if kind == 2:
        return f" @include(if: {'true' if draw(st.booleans()) else 'false'})"
    return ""


def _selection(draw: st.DrawFn, doc: Document, parent: Any, depth: int) -> str:
    """A non-empty selection set on an object, interface or union type."""
    parts = []
    if isinstance(parent, GraphQLInterfaceType | GraphQLUnionType):
        parts.append("__typename")
        members = doc.schema.get_possible_types(parent)
        for member in draw(st.lists(st.sampled_from(members), max_size=2, unique_by=lambda m: m.name)):
            inner = _object_fields(draw, doc, member, depth)
            parts.append(f"... on {member.name} {{ {inner} }}")
        if isinstance(parent, GraphQLInterfaceType):
            parts.append(_object_fields(draw, doc, parent, depth))
        return " ".join(p for p in parts if p)
    return _object_fields(draw, doc, parent, depth)


def _object_fields(draw: st.DrawFn, doc: Document, parent: Any, depth: int) -> str:
    names = sorted(n for n in parent.fields if not SKIPPED_FIELDS.match(n))
    if depth >= MAX_DEPTH:  # deep down only leaves, so that the document stays within the limits
        names = [n for n in names if is_leaf_type(get_named_type(parent.fields[n].type))] or names[:1]
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=5))
    parts = []
    for name in chosen:
        graphql_field = parent.fields[name]
        arguments = _arguments(draw, doc, graphql_field)
        if arguments is None:
            parts.append("__typename")
            continue
        named = get_named_type(graphql_field.type)
        inner = "" if is_leaf_type(named) else f" {{ {_selection(draw, doc, named, depth + 1)} }}"
        # a key of its own where arguments differ: the same key with two argument lists is invalid
        alias = f"{doc.alias()}: " if arguments or draw(st.integers(0, 5)) == 0 else ""
        text = f"{alias}{name}{arguments}{_directive(draw, doc)}{inner}"
        wrap = draw(st.integers(0, 11))
        if wrap == 0:
            text = f"... on {parent.name}{_directive(draw, doc)} {{ {text} }}"
        elif wrap == 1 and isinstance(parent, GraphQLObjectType):
            fragment = f"F{len(doc.fragments)}"
            doc.fragments.append(f"fragment {fragment} on {parent.name} {{ {text} }}")
            text = f"...{fragment}"
        elif wrap == 2:
            text = f"... {{ {text} }}"
        parts.append(text)
    return " ".join(parts)


@st.composite
def documents(
    draw: st.DrawFn, schema: GraphQLSchema, ids: list[str], words: list[str]
) -> tuple[str, dict[str, Any]]:
    """(document text, variables) of a query over `schema`."""
    doc = Document(schema, ids, words)
    selection = _object_fields(draw, doc, schema.query_type, 1)
    return doc.text(selection), doc.values()


@st.composite
def documents_on(
    draw: st.DrawFn, schema: GraphQLSchema, ids: list[str], words: list[str], node_id: str, type_name: str
) -> tuple[str, dict[str, Any]]:
    """(document text, variables) of a query selecting on one node of `type_name`, fetched by id:
    random selections that reach deep into one object's relations."""
    doc = Document(schema, ids, words)
    selection = _object_fields(draw, doc, schema.type_map[type_name], 1)
    return doc.text(f'node(id: "{node_id}") {{ ... on {type_name} {{ {selection} }} }}'), doc.values()
