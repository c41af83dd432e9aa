"""LikeRepository: SQL and fake alike."""

from __future__ import annotations

from tests.contracts.conftest import NOW


async def test_add_and_remove_answer_what_they_changed(backend, orgs):
    a, b, c = await backend.generations(await backend.session(orgs.org.id, orgs.member.id), 3)
    me, colleague = orgs.member.id, (await backend.member(orgs.org.id)).id
    async with backend.uow() as uow:
        assert await uow.likes.add(orgs.org.id, me, [a.id, b.id], NOW) == {a.id, b.id}
        assert await uow.likes.add(orgs.org.id, me, [b.id, c.id, c.id], NOW) == {c.id}  # b was liked
        assert await uow.likes.add(orgs.org.id, colleague, [a.id], NOW) == {a.id}  # per member
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.likes.remove(orgs.org.id, me, [a.id, b.id]) == {a.id, b.id}
        assert await uow.likes.remove(orgs.org.id, me, [a.id, b.id]) == set()  # no longer liked
        assert await uow.likes.liked_by_anyone(orgs.org.id, [a.id, b.id, c.id]) == {a.id, c.id}
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.likes.remove(orgs.org.id, colleague, [a.id]) == {a.id}


async def test_another_organisation_neither_sees_nor_removes_the_likes(backend, orgs):
    [g] = await backend.generations(await backend.session(orgs.org.id, orgs.member.id))
    async with backend.uow() as uow:
        await uow.likes.add(orgs.org.id, orgs.member.id, [g.id], NOW)
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.likes.liked_by_anyone(orgs.other.id, [g.id]) == set()
        assert await uow.likes.remove(orgs.other.id, orgs.member.id, [g.id]) == set()
        await uow.commit()
    async with backend.uow() as uow:
        assert await uow.likes.liked_by_anyone(orgs.org.id, [g.id]) == {g.id}
        assert await uow.likes.liked_by_anyone(orgs.org.id, []) == set()
