"""Bulk changes: id lists with caps, and all-or-nothing loading that names each bad item."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.errors import DomainError, InvalidInput, ItemError, ItemErrors, LimitExceeded, NotFound
from domain.model.studio import Generation
from domain.ports import UnitOfWork

MAX_BULK = 500


def check_count(ids: Sequence[int], *, field: str, max_count: int = MAX_BULK) -> None:
    """At least one id and at most `max_count`."""
    if not ids:
        raise InvalidInput("give at least one id", field=field)
    if len(ids) > max_count:
        raise LimitExceeded(f"at most {max_count} ids at once (got {len(ids)})", field=field)


async def load_generations(
    uow: UnitOfWork,
    org_id: int,
    ids: Sequence[int],
    *,
    field: str = "generationIds",
    for_update: bool = False,
    check: Callable[[Generation], DomainError | None] | None = None,
) -> list[Generation]:
    """The generations in input order, or ItemErrors naming every unknown, repeated or refused one."""
    check_count(ids, field=field)
    found = await uow.generations.get_many(org_id, ids, for_update=for_update)
    errors: list[ItemError] = []
    seen: set[int] = set()
    for index, id in enumerate(ids):
        generation = found.get(id)
        if generation is None:
            errors.append(ItemError(index, id, NotFound("no such generation", field=f"{field}[{index}]")))
        elif id in seen:
            errors.append(
                ItemError(index, id, InvalidInput("listed more than once", field=f"{field}[{index}]"))
            )
        elif check is not None and (problem := check(generation)) is not None:
            problem.field = f"{field}[{index}]"
            errors.append(ItemError(index, id, problem))
        seen.add(id)
    if errors:
        raise ItemErrors(errors, field=field)
    return [found[id] for id in ids]
