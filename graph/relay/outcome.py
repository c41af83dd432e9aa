"""Running one domain call for a mutation, turning its expected failure into userErrors."""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from typing import TypeVar

from domain.kernel.errors import DomainError
from graph.relay.user_error import UserError, user_errors

T = TypeVar("T")


async def attempt(
    call: Awaitable[T], given: Mapping[str, Sequence[str]] | None = None
) -> tuple[T | None, list[UserError]]:
    """(result, []) on success; (None, userErrors) on a domain error; `given`: bulk items' ids as sent."""
    try:
        return await call, []
    except DomainError as e:
        return None, user_errors(e, given)
