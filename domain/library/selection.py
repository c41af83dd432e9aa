"""Picking the assets a bulk change works on: all or nothing, each bad item named."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.kernel.bulk import check_count
from domain.kernel.errors import DomainError, InvalidInput, ItemError, ItemErrors, NotFound
from domain.library.model import Asset
from domain.unit_of_work import UnitOfWork


async def load_assets(
    uow: UnitOfWork,
    org_id: int,
    ids: Sequence[int],
    *,
    field: str,
    check: Callable[[Asset], DomainError | None] | None = None,
) -> list[Asset]:
    """The assets in input order, or ItemErrors naming every unknown, repeated or refused one."""
    check_count(ids, field=field)
    found = await uow.library.assets(org_id, ids)
    errors: list[ItemError] = []
    seen: set[int] = set()
    for index, id in enumerate(ids):
        asset = found.get(id)
        problem: DomainError | None = None
        if asset is None:
            problem = NotFound("no such asset")
        elif id in seen:
            problem = InvalidInput("listed more than once")
        elif check is not None:
            problem = check(asset)
        if problem is not None:
            problem.field = f"{field}[{index}]"
            errors.append(ItemError(index, id, problem))
        seen.add(id)
    if errors:
        raise ItemErrors(errors, field=field)
    return [found[id] for id in ids]
