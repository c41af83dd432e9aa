"""`userErrors`: the expected failures of a mutation, in its payload."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import strawberry

from domain.kernel import errors

strawberry.enum(
    errors.ErrorCode,
    name="ErrorCode",
    description="Why a change was refused; stable, for programs to switch on.",
)


@strawberry.type(
    description="Why a mutation (or one item of a bulk mutation) was refused; nothing was changed."
)
class UserError:
    code: errors.ErrorCode = strawberry.field(description="A stable code.")
    message: str = strawberry.field(description="What is wrong and what to do, for people.")
    field: str | None = strawberry.field(description="The input field at fault, e.g. `generationIds[2]`.")
    index: int | None = strawberry.field(description="For a bulk mutation: the position of the refused item.")
    id: strawberry.ID | None = strawberry.field(
        description="For a bulk mutation: the id of the refused item, as sent."
    )


def user_errors(
    error: errors.DomainError, given: Mapping[str, Sequence[str]] | None = None
) -> list[UserError]:
    """The userErrors of a domain error; bulk errors give one per refused item, with its id as sent.

    `given` maps an input list's name (`generationIds`) to the ids as the client sent them.
    """
    if isinstance(error, errors.ItemErrors):
        given_ids = (given or {}).get(error.field or "", ())
        return [
            UserError(
                code=item.error.code,
                message=item.error.message,
                field=item.error.field,
                index=item.index,
                id=strawberry.ID(given_ids[item.index]) if item.index < len(given_ids) else None,
            )
            for item in error.items
        ]
    return [UserError(code=error.code, message=error.message, field=error.field, index=None, id=None)]
