"""Picking the generations a bulk change works on: all or nothing, each bad item named."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from domain.kernel.alt_text import clean_alt_text, refuse_prompt_copy
from domain.kernel.bulk import check_count
from domain.kernel.errors import DomainError, InvalidInput, ItemError, ItemErrors, NotFound
from domain.studio.model import Generation
from domain.unit_of_work import UnitOfWork


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


def check_alt_text_for_each(
    alt_text: str | None,
    generations: Sequence[Generation],
    *,
    skip: Callable[[Generation], bool] | None = None,
) -> dict[int, str]:
    """One alt text checked against each generation's prompt, by generation id; ItemErrors name the bad."""
    if alt_text is None:
        return {}
    chosen = [(index, g) for index, g in enumerate(generations) if skip is None or not skip(g)]
    if not chosen:
        return {}
    try:  # once: the text on its own (the credential guard included) is the same for every item
        text = clean_alt_text(alt_text)
    except DomainError as e:
        raise ItemErrors([ItemError(index, g.id, e) for index, g in chosen], field="generationIds") from None
    errors, checked = [], {}
    for index, g in chosen:
        try:
            refuse_prompt_copy(text, g.prompt)
            checked[g.id] = text
        except DomainError as e:
            errors.append(ItemError(index, g.id, e))
    if errors:
        raise ItemErrors(errors, field="generationIds")  # the indexes point into generationIds
    return checked
