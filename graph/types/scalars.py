"""Custom scalars; `SCALARS` goes into the schema's `scalar_map`."""

from __future__ import annotations

from typing import NewType

import strawberry
from strawberry.types.scalar import ScalarDefinition

BigInt = NewType("BigInt", int)


def _parse_big_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError("BigInt takes a decimal string")
    text = str(value)
    if not text.lstrip("-").isdigit() or len(text) > 20:
        raise ValueError("BigInt takes a decimal string of at most 19 digits")
    number = int(text)
    if not -(2**63) <= number < 2**63:
        raise ValueError("BigInt must fit in 64 bits")
    return number


SCALARS: dict[object, ScalarDefinition] = {
    BigInt: strawberry.scalar(
        name="BigInt",
        description=(
            "A 64-bit integer, sent as a decimal string: seeds outgrow GraphQL's 32-bit Int, "
            "and JSON numbers lose precision above 2^53."
        ),
        serialize=str,
        parse_value=_parse_big_int,
    )
}
