"""Custom scalars; `SCALARS` goes into the schema's `scalar_map`."""

from __future__ import annotations

import re
from typing import Any, NewType

import strawberry
from graphql import GraphQLError
from graphql.language import IntValueNode, StringValueNode, ValueNode
from strawberry.types.scalar import ScalarDefinition

BigInt = NewType("BigInt", int)


_DECIMAL = re.compile(r"-?[0-9]{1,19}")  # ASCII digits only: int() would also take "١٢٣" and "1_0"


def _refuse(message: str) -> GraphQLError:
    # a GraphQLError with its code, not a ValueError: written inline in a document, a
    # ValueError would leave validation as a crash; the message never repeats the value
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


def _parse_big_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _refuse("BigInt takes a decimal string")
    text = str(value)
    if not _DECIMAL.fullmatch(text):
        raise _refuse("BigInt takes a decimal string of at most 19 ASCII digits")
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise _refuse("BigInt must fit in 64 bits")
    return number


def _parse_big_int_literal(node: ValueNode, _variables: Any = None) -> int:
    # written inline: the same checks, with the literal's location; digits are handed on as
    # text, because int() of an endless literal is itself an error
    text = node.value if isinstance(node, StringValueNode | IntValueNode) else None
    try:
        return _parse_big_int(text)
    except GraphQLError as error:
        raise GraphQLError(error.message, node, extensions=error.extensions) from None


SCALARS: dict[object, ScalarDefinition] = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description=(
            "A 64-bit integer, sent as a decimal string: seeds outgrow GraphQL's 32-bit Int, "
            "and JSON numbers lose precision above 2^53."
        ),
        serialize=str,
        parse_value=_parse_big_int,
        parse_literal=_parse_big_int_literal,
    )
}
