"""The Studio services' rules, over in-memory fakes: permissions, states, credits, quotas, all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest

from domain.kernel.access import Actor, Role
from domain.kernel.errors import (
    BudgetExceeded,
    Conflict,
    ErrorCode,
    Forbidden,
    InvalidInput,
    InvalidState,
    ItemErrors,
    LimitExceeded,
    NotFound,
    ProviderFailed,
    QuotaExceeded,
)
from domain.library.model import Asset
from domain.library.services import Library, SaveOptions
from domain.organisations.model import Organisation
from domain.studio.model import (
    AspectRatio,
    Concern,
    Generation,
    Platform,
    ReviewNotes,
    ReviewState,
    Session,
    SessionState,
)
from domain.studio.retention import RetentionPolicy
from domain.studio.services import Studio
from tests.unit.builders import FakeTenant, make_fake_tenant
from tests.unit.fakes import (
    EPOCH,
    FakeBlobStore,
    FakeClock,
    FakeImageInspector,
    FakeImageProvider,
    FakeUnitOfWork,
    State,
)

DAY = timedelta(days=1)
POLICY = RetentionPolicy()
ALT = "A lighthouse on a rocky point, its beam cutting through the evening haze."
PROMPT = "a lighthouse at dusk, crashing waves, volumetric light"


@dataclass
class World:
    """One organisation with a member of each role, another organisation, and the fakes around them."""

    uow: FakeUnitOfWork
    clock: FakeClock
    blobs: FakeBlobStore
    provider: FakeImageProvider
    ours: FakeTenant
    theirs: FakeTenant
    actors: dict[Role, Actor]

    @property
    def org(self) -> Organisation:
        return self.ours.org

    @property
    def other(self) -> Organisation:
        return self.theirs.org

    def actor(self, role: Role = Role.ADMIN) -> Actor:
        return self.actors[role]

    @property
    def studio(self) -> Studio:
        """The Studio's services over these fakes; every call shares the one fake unit of work."""
        return Studio(
            uow=lambda: self.uow,
            clock=self.clock,
            blobs=self.blobs,
            providers={"procedural": self.provider},
            inspector=FakeImageInspector(),
            retention=POLICY,
        )

    @property
    def library(self) -> Library:
        """The library's services over these fakes."""
        return Library(uow=lambda: self.uow, clock=self.clock, blobs=self.blobs)

    @property
    def creator(self) -> Actor:
        return self.actors[Role.CREATOR]

    @property
    def editor(self) -> Actor:
        return self.actors[Role.EDITOR]

    @property
    def approver(self) -> Actor:
        return self.actors[Role.APPROVER]

    def session(self, **changes: Any) -> Session:
        return self.ours.session(created_by_id=self.creator.member_id, **changes)

    def generation(self, session: Session | None = None, **changes: Any) -> Generation:
        """A generation whose image is in the scratch area."""
        session = session or self.session()
        blob = self.blobs.seed("scratch", f"image {len(self.uow.committed.generations)} {changes}".encode())
        changes.setdefault("byte_size", blob.size)
        return self.ours.generation(session, blob_key=blob.key, **changes)

    def approved(self, session: Session | None = None, **changes: Any) -> Generation:
        changes.setdefault("review", ReviewNotes(alt_text=ALT, rights_notes="ours", source="studio"))
        changes.setdefault("reviewed_by_id", self.approver.member_id)
        changes.setdefault("reviewed_at", EPOCH)
        changes.setdefault("expires_at", None)
        return self.generation(session, review_state=ReviewState.APPROVED, **changes)

    def policy(self, **changes: Any) -> Organisation:
        return self.ours.policy(**changes)

    def stored(self, generation_id: int) -> Generation:
        return self.uow.committed.generations[generation_id]

    def committed_org(self) -> Organisation:
        return self.uow.committed.organisations[self.org.id]


@pytest.fixture
def w() -> World:
    uow = FakeUnitOfWork()
    clock = FakeClock()
    ours, theirs = make_fake_tenant(uow, "acme", role=None), make_fake_tenant(uow, "rival", role=None)
    actors = {role: Actor(ours.org_id, ours.member(role, f"{role.value}@acme").id, role) for role in Role}
    return World(uow, clock, FakeBlobStore(clock), FakeImageProvider(), ours, theirs, actors)


def unchanged(uow: FakeUnitOfWork, before: State) -> bool:
    """Nothing was committed since `before` was taken: no row, no event."""
    return not uow.committed.rows_differ(before) and uow.committed.events == before.events


def items(error: ItemErrors) -> list[tuple[int, int | None, ErrorCode, str | None]]:
    return [(i.index, i.id, i.error.code, i.error.field) for i in error.items]


ROLES_WITHOUT = {
    "generate": [Role.VIEWER],
    "organise": [Role.VIEWER, Role.CREATOR],
    "review": [Role.VIEWER, Role.CREATOR, Role.EDITOR],
}


# -- sessions ---------------------------------------------------------------------------------------------


class TestCreatingASession:
    async def test_a_creator_opens_a_session_and_an_event_records_it(self, w):
        kit = w.ours.brand_kit()
        session = await w.studio.create_session(
            w.creator,
            title="  Summer shoot ",
            platform=Platform.INSTAGRAM,
            brand_kit_id=kit.id,
            aspect_ratio=AspectRatio.PORTRAIT,
        )
        assert (session.title, session.state, session.closed_at) == ("Summer shoot", SessionState.OPEN, None)
        assert (session.platform, session.brand_kit_id, session.aspect_ratio) == (
            Platform.INSTAGRAM,
            kit.id,
            AspectRatio.PORTRAIT,
        )
        assert (session.org_id, session.created_by_id, session.created_at) == (
            w.org.id,
            w.creator.member_id,
            EPOCH,
        )
        assert w.uow.committed.sessions[session.id] == session
        [event] = w.uow.events
        assert (event.type, event.subject_id, event.payload) == (
            "session.created",
            session.id,
            {"title": "Summer shoot"},
        )

    async def test_a_square_aspect_ratio_is_the_default(self, w):
        session = await w.studio.create_session(w.creator, title="Shoot")
        assert session.aspect_ratio is AspectRatio.SQUARE

    @pytest.mark.parametrize("role", ROLES_WITHOUT["generate"])
    async def test_a_viewer_may_not_open_one(self, w, role):
        with pytest.raises(Forbidden):
            await w.studio.create_session(w.actor(role), title="Shoot")
        assert w.uow.committed.sessions == {}

    async def test_an_unknown_brand_kit_is_not_found(self, w):
        with pytest.raises(NotFound) as caught:
            await w.studio.create_session(w.creator, title="Shoot", brand_kit_id=999)
        assert caught.value.field == "brandKitId"
        assert w.uow.committed.sessions == {} and w.uow.events == []

    async def test_a_brand_kit_of_another_organisation_is_not_found(self, w):
        kit = w.theirs.brand_kit()
        with pytest.raises(NotFound):
            await w.studio.create_session(w.creator, title="Shoot", brand_kit_id=kit.id)

    @pytest.mark.parametrize("title", ["", "   ", "two\nlines", "x" * 201, "nul\x00"])
    async def test_a_bad_title_is_refused(self, w, title):
        with pytest.raises(InvalidInput) as caught:
            await w.studio.create_session(w.creator, title=title)
        assert caught.value.field == "title"


class TestUpdatingASession:
    async def test_only_the_fields_given_change(self, w):
        session = w.session(platform=Platform.X, aspect_ratio=AspectRatio.STORY)
        updated = await w.studio.update_session(w.creator, session_id=session.id, title=" Renamed ")
        assert updated == replace(session, title="Renamed")
        assert w.uow.committed.sessions[session.id] == updated
        [event] = w.uow.events
        assert (event.type, event.payload) == ("session.updated", {"fields": ["title"]})

    async def test_none_clears_the_platform_and_brand_kit(self, w):
        kit = w.ours.brand_kit()
        session = w.session(platform=Platform.X, brand_kit_id=kit.id)
        updated = await w.studio.update_session(
            w.creator, session_id=session.id, platform=None, brand_kit_id=None
        )
        assert (updated.platform, updated.brand_kit_id) == (None, None)
        assert w.uow.events[0].payload == {"fields": ["brand_kit_id", "platform"]}

    async def test_an_update_that_changes_nothing_records_nothing(self, w):
        session = w.session(title="Shoot")
        before = w.uow.committed.copy()
        updated = await w.studio.update_session(w.creator, session_id=session.id, title="Shoot")
        assert updated == session
        assert unchanged(w.uow, before) and w.uow.commits == 0

    async def test_an_unknown_brand_kit_changes_nothing(self, w):
        session = w.session()
        before = w.uow.committed.copy()
        with pytest.raises(NotFound) as caught:
            await w.studio.update_session(w.creator, session_id=session.id, title="New", brand_kit_id=404)
        assert caught.value.field == "brandKitId"
        assert unchanged(w.uow, before)

    async def test_a_session_of_another_organisation_is_not_found(self, w):
        session = w.theirs.session()
        with pytest.raises(NotFound) as caught:
            await w.studio.update_session(w.creator, session_id=session.id, title="Mine now")
        assert caught.value.field == "id"
        assert w.uow.committed.sessions[session.id] == session

    async def test_a_viewer_may_not_update_one(self, w):
        session = w.session()
        with pytest.raises(Forbidden):
            await w.studio.update_session(w.actor(Role.VIEWER), session_id=session.id, title="x")


class TestClosingASession:
    async def test_closing_marks_it_closed_now_and_records_an_event(self, w):
        session = w.session()
        w.clock.advance(DAY)
        closed = await w.studio.close_session(w.creator, session_id=session.id)
        assert (closed.state, closed.closed_at) == (SessionState.CLOSED, EPOCH + DAY)
        assert w.uow.committed.sessions[session.id] == closed
        assert w.uow.event_types() == ["session.closed"]

    async def test_closing_twice_changes_nothing_the_second_time(self, w):
        session = w.session()
        first = await w.studio.close_session(w.creator, session_id=session.id)
        w.clock.advance(DAY)
        before = w.uow.committed.copy()
        second = await w.studio.close_session(w.creator, session_id=session.id)
        assert second == first and second.closed_at == EPOCH
        assert unchanged(w.uow, before)
        assert w.uow.event_types() == ["session.closed"]

    async def test_unkept_generations_start_to_expire_and_kept_ones_never_do(self, w):
        session = w.session()
        pending = w.generation(session, created_at=EPOCH)
        old = w.generation(session, created_at=EPOCH - 25 * DAY, expires_at=EPOCH + 5 * DAY)
        rejected = w.generation(session, review_state=ReviewState.REJECTED)
        liked = w.generation(session)
        w.ours.like(liked.id, w.editor.member_id)
        approved = w.approved(session)
        saved = w.generation(session, saved_asset_id=w.ours.asset().id, expires_at=None)
        elsewhere = w.generation(w.session())
        w.clock.advance(2 * DAY)

        await w.studio.close_session(w.creator, session_id=session.id)

        closed_at = EPOCH + 2 * DAY
        assert w.stored(pending.id).expires_at == closed_at + 7 * DAY
        assert w.stored(old.id).expires_at == EPOCH + 5 * DAY  # the maximum age comes first
        assert w.stored(rejected.id).expires_at == closed_at + 7 * DAY
        assert w.stored(liked.id).expires_at is None
        assert w.stored(approved.id).expires_at is None
        assert w.stored(saved.id).expires_at is None
        assert w.stored(elsewhere.id) == elsewhere

    async def test_an_unknown_session_is_not_found(self, w):
        with pytest.raises(NotFound) as caught:
            await w.studio.close_session(w.creator, session_id=12345)
        assert caught.value.field == "id"

    async def test_a_session_of_another_organisation_stays_open(self, w):
        session = w.theirs.session()
        with pytest.raises(NotFound):
            await w.studio.close_session(w.creator, session_id=session.id)
        assert w.uow.committed.sessions[session.id].state is SessionState.OPEN

    async def test_a_viewer_may_not_close_one(self, w):
        session = w.session()
        with pytest.raises(Forbidden):
            await w.studio.close_session(w.actor(Role.VIEWER), session_id=session.id)


# -- likes ------------------------------------------------------------------------------------------------


class TestLiking:
    async def test_a_liked_generation_is_kept_and_an_event_records_the_like(self, w):
        g = w.generation()
        [liked] = await w.studio.like(w.creator, generation_ids=[g.id])
        assert liked == replace(g, expires_at=None)
        assert w.stored(g.id).expires_at is None
        assert (w.org.id, w.creator.member_id, g.id) in w.uow.committed.likes
        [event] = w.uow.events
        assert (event.type, event.subject_id, event.actor_id) == (
            "generation.liked",
            g.id,
            w.creator.member_id,
        )

    async def test_liking_again_changes_nothing_and_records_no_second_event(self, w):
        g = w.generation()
        await w.studio.like(w.creator, generation_ids=[g.id])
        await w.studio.like(w.creator, generation_ids=[g.id])
        assert w.uow.event_types() == ["generation.liked"]

    async def test_each_member_likes_for_themselves(self, w):
        g = w.generation()
        await w.studio.like(w.creator, generation_ids=[g.id])
        await w.studio.like(w.editor, generation_ids=[g.id])
        assert [e.actor_id for e in w.uow.events] == [w.creator.member_id, w.editor.member_id]

    async def test_an_unknown_or_repeated_id_refuses_the_whole_like(self, w):
        g = w.generation()
        foreign = w.theirs.generation(w.theirs.session())
        before = w.uow.committed.copy()
        with pytest.raises(ItemErrors) as caught:
            await w.studio.like(w.creator, generation_ids=[g.id, 999, foreign.id, g.id])
        assert items(caught.value) == [
            (1, 999, ErrorCode.NOT_FOUND, "generationIds[1]"),
            (2, foreign.id, ErrorCode.NOT_FOUND, "generationIds[2]"),
            (3, g.id, ErrorCode.INVALID_INPUT, "generationIds[3]"),
        ]
        assert unchanged(w.uow, before)

    async def test_a_viewer_may_not_like(self, w):
        g = w.generation()
        with pytest.raises(Forbidden):
            await w.studio.like(w.actor(Role.VIEWER), generation_ids=[g.id])


class TestUnliking:
    async def test_unliking_in_an_open_session_restores_the_maximum_age(self, w):
        g = w.generation(created_at=EPOCH)
        await w.studio.like(w.creator, generation_ids=[g.id])
        [unliked] = await w.studio.unlike(w.creator, generation_ids=[g.id])
        assert unliked.expires_at == w.stored(g.id).expires_at == EPOCH + 30 * DAY
        assert w.uow.event_types() == ["generation.liked", "generation.unliked"]

    async def test_unliking_in_a_closed_session_expires_a_week_after_the_close(self, w):
        session = w.session(closed_at=EPOCH + DAY)
        g = w.generation(session, expires_at=None)
        w.ours.like(g.id, w.creator.member_id)
        w.clock.advance(3 * DAY)
        await w.studio.unlike(w.creator, generation_ids=[g.id])
        assert w.stored(g.id).expires_at == EPOCH + 8 * DAY

    async def test_a_generation_another_member_still_likes_stays_kept(self, w):
        g = w.generation(expires_at=None)
        w.ours.like(g.id, w.creator.member_id)
        w.ours.like(g.id, w.editor.member_id)
        [unliked] = await w.studio.unlike(w.creator, generation_ids=[g.id])
        assert unliked.expires_at is None and w.stored(g.id).expires_at is None
        assert w.uow.event_types() == ["generation.unliked"]

    async def test_an_approved_generation_stays_kept_when_unliked(self, w):
        g = w.approved()
        w.ours.like(g.id, w.creator.member_id)
        await w.studio.unlike(w.creator, generation_ids=[g.id])
        assert w.stored(g.id).expires_at is None

    async def test_unliking_what_was_not_liked_changes_nothing(self, w):
        g = w.generation()
        before = w.uow.committed.copy()
        [same] = await w.studio.unlike(w.creator, generation_ids=[g.id])
        assert same == g
        assert unchanged(w.uow, before)


# -- review -----------------------------------------------------------------------------------------------


class TestApproving:
    @pytest.mark.parametrize("role", [Role.APPROVER, Role.ADMIN])
    async def test_a_reviewer_approves_recording_who_when_and_the_notes(self, w, role):
        g = w.generation()
        w.clock.advance(DAY)
        [approved] = await w.studio.approve(
            w.actor(role),
            generation_ids=[g.id],
            alt_text=f"  {ALT} ",
            rights_notes="made in house",
            source="studio",
            intended_placement="homepage hero",
        )
        assert approved.review_state is ReviewState.APPROVED
        assert approved.review == ReviewNotes(ALT, "made in house", "studio", "homepage hero")
        assert (approved.reviewed_by_id, approved.reviewed_at, approved.expires_at) == (
            w.actor(role).member_id,
            EPOCH + DAY,
            None,
        )
        assert w.stored(g.id) == approved
        assert w.uow.event_types() == ["generation.approved"]

    @pytest.mark.parametrize("role", ROLES_WITHOUT["review"])
    async def test_only_approvers_and_admins_may_approve(self, w, role):
        g = w.generation()
        with pytest.raises(Forbidden):
            await w.studio.approve(w.actor(role), generation_ids=[g.id])
        assert w.stored(g.id) == g

    async def test_approving_twice_changes_nothing_the_second_time(self, w):
        g = w.generation()
        [first] = await w.studio.approve(w.approver, generation_ids=[g.id])
        w.clock.advance(DAY)
        [second] = await w.studio.approve(w.actor(Role.ADMIN), generation_ids=[g.id])
        assert second == first and second.reviewed_at == EPOCH
        assert w.uow.event_types() == ["generation.approved"]

    async def test_a_rejected_generation_stays_rejected_and_nothing_is_approved(self, w):
        pending = w.generation()
        rejected = w.generation(review_state=ReviewState.REJECTED)
        before = w.uow.committed.copy()
        with pytest.raises(ItemErrors) as caught:
            await w.studio.approve(w.approver, generation_ids=[pending.id, rejected.id])
        assert items(caught.value) == [(1, rejected.id, ErrorCode.INVALID_STATE, "generationIds[1]")]
        assert unchanged(w.uow, before)

    async def test_alt_text_that_copies_a_prompt_is_refused_naming_the_generation(self, w):
        fine = w.generation(prompt="an abstract swirl of colour")
        copied = w.generation(prompt=ALT)
        before = w.uow.committed.copy()
        with pytest.raises(ItemErrors) as caught:
            await w.studio.approve(w.approver, generation_ids=[fine.id, copied.id], alt_text=ALT)
        assert [(i.index, i.id, i.error.code) for i in caught.value.items] == [
            (1, copied.id, ErrorCode.INVALID_INPUT)
        ]
        assert "prompt copied" in caught.value.items[0].error.message
        assert unchanged(w.uow, before)

    async def test_overlong_rights_notes_are_refused(self, w):
        g = w.generation()
        with pytest.raises(InvalidInput) as caught:
            await w.studio.approve(w.approver, generation_ids=[g.id], rights_notes="r" * 2001)
        assert caught.value.field == "rightsNotes"


class TestRejecting:
    async def test_a_reviewer_rejects_a_pending_generation_with_a_reason(self, w):
        g = w.generation()
        [rejected] = await w.studio.reject(w.approver, generation_ids=[g.id], reason=" off brand ")
        assert rejected.review_state is ReviewState.REJECTED
        assert (rejected.review.reason, rejected.reviewed_by_id) == ("off brand", w.approver.member_id)
        assert w.stored(g.id) == rejected
        assert w.uow.event_types() == ["generation.rejected"]

    async def test_rejecting_twice_changes_nothing_the_second_time(self, w):
        g = w.generation()
        await w.studio.reject(w.approver, generation_ids=[g.id], reason="off brand")
        [again] = await w.studio.reject(w.approver, generation_ids=[g.id], reason="other reason")
        assert again.review.reason == "off brand"
        assert w.uow.event_types() == ["generation.rejected"]

    async def test_an_approved_generation_cannot_be_rejected(self, w):
        g = w.approved()
        with pytest.raises(ItemErrors) as caught:
            await w.studio.reject(w.approver, generation_ids=[g.id], reason="changed my mind")
        assert items(caught.value) == [(0, g.id, ErrorCode.INVALID_STATE, "generationIds[0]")]
        assert w.stored(g.id) == g

    async def test_a_rejected_generation_cannot_be_approved_later(self, w):
        g = w.generation()
        await w.studio.reject(w.approver, generation_ids=[g.id], reason="off brand")
        with pytest.raises(ItemErrors):
            await w.studio.approve(w.approver, generation_ids=[g.id])
        assert w.stored(g.id).review_state is ReviewState.REJECTED

    @pytest.mark.parametrize("role", ROLES_WITHOUT["review"])
    async def test_only_approvers_and_admins_may_reject(self, w, role):
        g = w.generation()
        with pytest.raises(Forbidden):
            await w.studio.reject(w.actor(role), generation_ids=[g.id], reason="no")


class TestEscalating:
    async def test_a_creator_escalates_a_pending_generation_with_a_concern(self, w):
        g = w.generation()
        escalated = await w.studio.escalate(
            w.creator, generation_id=g.id, concern=Concern.RIGHTS, reason=" a real logo "
        )
        assert escalated.escalation is not None
        assert (escalated.escalation.concern, escalated.escalation.reason, escalated.escalation.by_id) == (
            Concern.RIGHTS,
            "a real logo",
            w.creator.member_id,
        )
        assert w.stored(g.id) == escalated and escalated.review_state is ReviewState.PENDING
        [event] = w.uow.events
        assert (event.type, event.payload) == ("generation.escalated", {"concern": "rights"})

    @pytest.mark.parametrize("state", [ReviewState.APPROVED, ReviewState.REJECTED])
    async def test_only_a_pending_generation_can_be_escalated(self, w, state):
        g = w.generation(review_state=state)
        with pytest.raises(InvalidState) as caught:
            await w.studio.escalate(w.creator, generation_id=g.id, concern=Concern.CLAIMS, reason="x")
        assert caught.value.field == "generationId"
        assert w.stored(g.id) == g and w.uow.events == []

    async def test_an_unknown_generation_is_not_found(self, w):
        with pytest.raises(NotFound):
            await w.studio.escalate(w.creator, generation_id=404, concern=Concern.CLAIMS, reason="x")

    async def test_a_reason_is_required(self, w):
        g = w.generation()
        with pytest.raises(InvalidInput) as caught:
            await w.studio.escalate(w.creator, generation_id=g.id, concern=Concern.CLAIMS, reason=" ")
        assert caught.value.field == "reason"

    async def test_a_viewer_may_not_escalate(self, w):
        g = w.generation()
        with pytest.raises(Forbidden):
            await w.studio.escalate(
                w.actor(Role.VIEWER), generation_id=g.id, concern=Concern.CLAIMS, reason="x"
            )


# -- generating -------------------------------------------------------------------------------------------


class TestGenerating:
    async def run(self, w: World, session: Session, **kwargs: Any) -> list[Generation]:
        kwargs.setdefault("prompt", PROMPT)
        return await w.studio.generate(
            w.creator,
            session_id=session.id,
            **kwargs,
        )

    async def test_images_become_pending_generations_that_expire_at_the_maximum_age(self, w):
        kit = w.ours.brand_kit()
        session = w.session(
            platform=Platform.INSTAGRAM, brand_kit_id=kit.id, aspect_ratio=AspectRatio.PORTRAIT
        )
        made = await self.run(w, session, negative_prompt=" blurry ", count=2, seed=42)
        [request] = w.provider.requests
        assert (request.prompt, request.negative_prompt, request.width, request.height) == (
            PROMPT,
            "blurry",
            819,
            1024,
        )
        assert (request.count, request.seed) == (2, 42)
        assert [g.seed for g in made] == [42, 43]
        for g in made:
            assert g.review_state is ReviewState.PENDING and g.expires_at == EPOCH + 30 * DAY
            assert (g.platform, g.brand_kit_id, g.aspect_ratio) == (
                Platform.INSTAGRAM,
                kit.id,
                AspectRatio.PORTRAIT,
            )
            assert (g.provider, g.model, g.credits_used, g.created_by_id) == (
                "procedural",
                "procedural-v1",
                1,
                w.creator.member_id,
            )
            assert g.blob_key in w.blobs.keys("scratch") and w.stored(g.id) == g
        assert w.committed_org().credits_spent == 2
        assert w.uow.event_types() == ["generation.created", "generation.created"]

    async def test_the_platform_and_ratio_given_win_over_the_sessions(self, w):
        session = w.session(platform=Platform.INSTAGRAM)
        [g] = await self.run(w, session, platform=Platform.YOUTUBE, aspect_ratio=AspectRatio.LANDSCAPE)
        assert (g.platform, g.aspect_ratio, g.width, g.height) == (
            Platform.YOUTUBE,
            AspectRatio.LANDSCAPE,
            1024,
            576,
        )

    async def test_context_assets_are_recorded_in_order(self, w):
        refs = [w.ours.asset().id for _ in range(3)]
        [g] = await self.run(w, w.session(), context_asset_ids=[refs[2], refs[0]])
        assert w.uow.committed.generation_context[g.id] == (refs[2], refs[0])

    async def test_over_budget_nothing_is_spent_and_the_provider_is_never_called(self, w):
        w.policy(credit_budget=10, credits_spent=9)
        session = w.session()
        before = w.uow.committed.copy()
        with pytest.raises(BudgetExceeded) as caught:
            await self.run(w, session, count=2)
        assert caught.value.field == "count"
        assert w.provider.requests == [] and w.blobs.calls == []
        assert unchanged(w.uow, before)

    async def test_exactly_the_budget_left_is_enough(self, w):
        w.policy(credit_budget=10, credits_spent=8)
        assert len(await self.run(w, w.session(), count=2)) == 2
        assert w.committed_org().credits_spent == 10

    @pytest.mark.parametrize("failure", [RuntimeError("boom"), TimeoutError(), ConnectionError("reset")])
    async def test_a_provider_failure_refunds_the_credits(self, w, failure):
        w.provider.fail_with = failure
        session = w.session()
        with pytest.raises(ProviderFailed) as caught:
            await self.run(w, session, count=3)
        assert "no credits were spent" in caught.value.message
        assert caught.value.__cause__ is failure
        assert w.committed_org().credits_spent == 0
        assert w.uow.committed.generations == {} and w.uow.events == []
        assert len(w.provider.requests) == 1

    async def test_a_provider_failed_error_from_the_adapter_is_passed_on_after_the_refund(self, w):
        w.provider.fail_with = ProviderFailed("the service said 503")
        with pytest.raises(ProviderFailed, match="503"):
            await self.run(w, w.session())
        assert w.committed_org().credits_spent == 0

    async def test_a_failure_storing_the_images_refunds_the_credits(self, w):
        w.blobs.fail("put")
        with pytest.raises(ProviderFailed):
            await self.run(w, w.session())
        assert w.committed_org().credits_spent == 0 and w.uow.committed.generations == {}

    async def test_a_closed_session_takes_no_generations(self, w):
        session = w.session(closed_at=EPOCH)
        with pytest.raises(InvalidState) as caught:
            await self.run(w, session)
        assert caught.value.field == "sessionId"
        assert w.provider.requests == [] and w.committed_org().credits_spent == 0

    async def test_a_session_of_another_organisation_is_not_found(self, w):
        session = w.theirs.session()
        with pytest.raises(NotFound):
            await self.run(w, session)
        assert w.provider.requests == []

    async def test_an_unknown_provider_is_refused_naming_the_known_ones(self, w):
        with pytest.raises(InvalidInput) as caught:
            await self.run(w, w.session(), provider="midjourney")
        assert caught.value.field == "provider" and "procedural" in caught.value.message
        assert w.provider.requests == []

    @pytest.mark.parametrize("field", ["prompt", "negative_prompt"])
    async def test_a_secret_is_refused_before_anything_else_happens(self, w, field):
        secret = "sk" + "-proj-" + "Zq7" * 20
        session = w.session()
        kwargs = {"prompt": PROMPT, field: f"a fox, {secret}"}
        with pytest.raises(InvalidInput) as caught:
            await self.run(w, session, **kwargs)
        assert secret not in caught.value.message
        assert caught.value.field == {"prompt": "prompt", "negative_prompt": "negativePrompt"}[field]
        assert w.provider.requests == [] and w.blobs.calls == []
        assert (w.uow.commits, w.uow.rollbacks) == (0, 0)

    @pytest.mark.parametrize(
        ("kwargs", "error", "field"),
        [
            ({"count": 0}, LimitExceeded, "count"),
            ({"count": 9}, LimitExceeded, "count"),
            ({"seed": -1}, InvalidInput, "seed"),
            ({"seed": 2**63}, InvalidInput, "seed"),
            ({"prompt": "   "}, InvalidInput, "prompt"),
            ({"prompt": "x" * 50_001}, InvalidInput, "prompt"),
            ({"context_asset_ids": [5, 5]}, InvalidInput, "contextAssetIds"),
            ({"context_asset_ids": list(range(1, 12))}, LimitExceeded, "contextAssetIds"),
        ],
    )
    async def test_out_of_range_input_is_refused_before_the_provider(self, w, kwargs, error, field):
        with pytest.raises(error) as caught:
            await self.run(w, w.session(), **kwargs)
        assert caught.value.field == field
        assert w.provider.requests == [] and w.committed_org().credits_spent == 0

    async def test_unknown_and_trashed_context_assets_are_named(self, w):
        live = w.ours.asset()
        trashed = w.ours.asset(trashed_at=EPOCH)
        foreign = w.theirs.asset()
        with pytest.raises(ItemErrors) as caught:
            await self.run(w, w.session(), context_asset_ids=[live.id, trashed.id, foreign.id])
        assert items(caught.value) == [
            (1, trashed.id, ErrorCode.NOT_FOUND, "contextAssetIds[1]"),
            (2, foreign.id, ErrorCode.NOT_FOUND, "contextAssetIds[2]"),
        ]
        assert w.provider.requests == []

    async def test_a_viewer_may_not_generate(self, w):
        session = w.session()
        with pytest.raises(Forbidden):
            await w.studio.generate(
                w.actor(Role.VIEWER),
                session_id=session.id,
                prompt=PROMPT,
            )

    async def test_a_session_closed_while_the_provider_works_gets_no_long_lived_generations(self, w):
        session = w.session()

        async def close_meanwhile(_request: Any) -> None:
            w.clock.advance(timedelta(seconds=5))
            await w.studio.close_session(w.creator, session_id=session.id)

        w.provider.during = close_meanwhile
        # the README: the request was accepted while the session was open, so the images are kept
        made = await self.run(w, session, count=2)
        closed_at = w.uow.committed.sessions[session.id].closed_at
        assert closed_at == EPOCH + timedelta(seconds=5)
        assert len(made) == 2 and w.committed_org().credits_spent == 2
        assert {g.id: (g.expires_at, w.stored(g.id).expires_at) for g in made} == {
            g.id: (closed_at + POLICY.after_close,) * 2 for g in made
        }


# -- saving to the library --------------------------------------------------------------------------------


class TestSavingToTheLibrary:
    async def save(self, w: World, ids: list[int], actor: Actor | None = None, **kwargs: Any) -> list[Asset]:
        return await w.library.save(actor or w.editor, generation_ids=ids, **kwargs)

    async def test_an_approved_generation_becomes_an_asset_with_its_provenance(self, w):
        ref = w.ours.asset()
        g = w.approved(
            prompt=PROMPT, context_asset_ids=(ref.id,), platform=Platform.WEB, seed=99, credits_used=4
        )
        w.clock.advance(DAY)
        [asset] = await self.save(w, [g.id])
        assert (asset.name, asset.alt_text, asset.ai_generated) == ("A lighthouse at dusk", ALT, True)
        assert (asset.blob_key, asset.byte_size, asset.width, asset.created_at) == (
            g.blob_key,
            g.byte_size,
            g.width,
            EPOCH + DAY,
        )
        p = asset.provenance
        assert p is not None
        assert (p.generation_id, p.session_id, p.prompt, p.negative_prompt, p.platform) == (
            g.id,
            g.session_id,
            g.prompt,
            g.negative_prompt,
            Platform.WEB,
        )
        assert (p.provider, p.model, p.seed, p.credits_used) == ("procedural", "procedural-v1", 99, 4)
        assert (p.reviewed_by_id, p.rights_notes, p.source) == (w.approver.member_id, "ours", "studio")
        assert w.uow.committed.asset_links[asset.id].context_asset_ids == (ref.id,)
        assert w.uow.committed.assets[asset.id] == asset

    async def test_saving_links_the_generation_copies_the_image_and_counts_the_storage(self, w):
        g = w.approved()
        [asset] = await self.save(w, [g.id])
        assert (w.stored(g.id).saved_asset_id, w.stored(g.id).expires_at) == (asset.id, None)
        assert w.blobs.keys("library") == {g.blob_key}
        assert w.committed_org().storage_used_bytes == g.byte_size
        [event] = w.uow.events
        assert (event.type, event.subject_id, event.payload) == (
            "asset.saved",
            asset.id,
            {"generation_id": g.id, "session_id": g.session_id},
        )

    async def test_filing_options_are_applied_and_tags_are_matched_regardless_of_case(self, w):
        folder = w.ours.folder()
        project = w.ours.project()
        existing = w.ours.tag("Summer")
        g = w.approved()
        options = SaveOptions(
            folder_id=folder.id,
            project_ids=(project.id,),
            tags=("SUMMER", "hero", "Hero"),
            name=" Hero shot ",
            description="for the launch",
        )
        [asset] = await self.save(w, [g.id], options=options)
        assert (asset.name, asset.description, asset.folder_id) == ("Hero shot", "for the launch", folder.id)
        links = w.uow.committed.asset_links[asset.id]
        hero = next(t for t in w.uow.committed.tags.values() if t.name == "hero")
        assert links.tag_ids == (existing.id, hero.id) and links.project_ids == (project.id,)
        assert len(w.uow.committed.tags) == 2

    async def test_the_alt_text_given_wins_over_the_reviewers(self, w):
        g = w.approved()
        other = "A white tower on dark rocks, lit by the last of the sunset."
        [asset] = await self.save(w, [g.id], options=SaveOptions(alt_text=other))
        assert asset.alt_text == other

    @pytest.mark.parametrize("role", ROLES_WITHOUT["organise"])
    async def test_viewers_and_creators_may_not_save(self, w, role):
        g = w.approved()
        with pytest.raises(Forbidden):
            await self.save(w, [g.id], actor=w.actor(role))

    async def test_a_rejected_generation_never_enters_the_library(self, w):
        g = w.generation(review_state=ReviewState.REJECTED)
        w.policy(require_approval=False, require_alt_text=False)
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [g.id])
        assert items(caught.value) == [(0, g.id, ErrorCode.INVALID_STATE, "generationIds[0]")]
        assert w.uow.committed.assets == {}

    async def test_a_pending_generation_needs_approval_when_the_policy_says_so(self, w):
        g = w.generation()
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [g.id], options=SaveOptions(alt_text=ALT))
        assert items(caught.value) == [(0, g.id, ErrorCode.APPROVAL_REQUIRED, "generationIds[0]")]

    async def test_without_the_approval_policy_a_pending_generation_is_saved(self, w):
        w.policy(require_approval=False)
        g = w.generation()
        [asset] = await self.save(w, [g.id], options=SaveOptions(alt_text=ALT))
        assert asset.provenance is not None and asset.provenance.reviewed_by_id is None

    async def test_alt_text_is_required_when_the_policy_says_so(self, w):
        g = w.approved(review=ReviewNotes())
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [g.id])
        assert items(caught.value) == [(0, g.id, ErrorCode.ALT_TEXT_REQUIRED, "generationIds[0]")]

    async def test_without_the_alt_text_policy_a_generation_is_saved_without_one(self, w):
        w.policy(require_alt_text=False)
        g = w.approved(review=ReviewNotes())
        [asset] = await self.save(w, [g.id])
        assert asset.alt_text == ""

    async def test_alt_text_that_copies_a_prompt_is_refused_naming_index_and_id(self, w):
        fine = w.approved(prompt="an abstract swirl of colour")
        copied = w.approved(prompt=ALT)
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [fine.id, copied.id], options=SaveOptions(alt_text=ALT))
        assert [(i.index, i.id, i.error.code) for i in caught.value.items] == [
            (1, copied.id, ErrorCode.INVALID_INPUT)
        ]
        assert w.uow.committed.assets == {}

    async def test_every_bad_item_is_named_by_index_and_id_and_nothing_is_saved(self, w):
        good = w.approved()
        rejected = w.generation(review_state=ReviewState.REJECTED)
        pending = w.generation()
        foreign = w.theirs.generation(w.theirs.session())
        before = w.uow.committed.copy()
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [good.id, rejected.id, 424242, pending.id, foreign.id, good.id])
        assert caught.value.field == "generationIds"
        assert items(caught.value) == [
            (1, rejected.id, ErrorCode.INVALID_STATE, "generationIds[1]"),
            (2, 424242, ErrorCode.NOT_FOUND, "generationIds[2]"),
            (3, pending.id, ErrorCode.APPROVAL_REQUIRED, "generationIds[3]"),
            (4, foreign.id, ErrorCode.NOT_FOUND, "generationIds[4]"),
            (5, good.id, ErrorCode.INVALID_INPUT, "generationIds[5]"),
        ]
        assert unchanged(w.uow, before) and w.blobs.keys("library") == set()

    async def test_over_the_quota_nothing_is_saved(self, w):
        g1, g2 = w.approved(), w.approved()
        w.policy(storage_quota_bytes=g1.byte_size + g2.byte_size - 1)
        before = w.uow.committed.copy()
        with pytest.raises(QuotaExceeded):
            await self.save(w, [g1.id, g2.id], options=SaveOptions(tags=("new-tag",)))
        assert unchanged(w.uow, before)
        assert w.blobs.keys("library") == set()

    async def test_exactly_the_quota_left_is_enough(self, w):
        g = w.approved()
        w.policy(storage_quota_bytes=g.byte_size)
        assert len(await self.save(w, [g.id])) == 1

    async def test_saving_a_saved_generation_returns_its_asset_and_changes_nothing(self, w):
        g = w.approved()
        [first] = await self.save(w, [g.id])
        before = w.uow.committed.copy()
        [again] = await self.save(w, [g.id])
        assert again == first
        assert unchanged(w.uow, before)

    async def test_a_saved_generation_saved_with_new_ones_keeps_its_asset(self, w):
        old, new = w.approved(), w.approved()
        [first] = await self.save(w, [old.id])
        assets = await self.save(w, [new.id, old.id])
        assert assets[1] == first and assets[0].id != first.id
        assert w.committed_org().storage_used_bytes == old.byte_size + new.byte_size
        assert w.uow.event_types() == ["asset.saved", "asset.saved"]

    async def test_an_idempotency_key_replays_the_same_answer(self, w):
        g = w.approved()
        options = SaveOptions(tags=("summer",))
        first = await self.save(w, [g.id], options=options, idempotency_key="req-1")
        before = w.uow.committed.copy()
        again = await self.save(w, [g.id], options=SaveOptions(tags=("SUMMER",)), idempotency_key="req-1")
        assert again == first
        assert unchanged(w.uow, before)

    async def test_an_idempotency_key_reused_with_other_input_is_a_conflict(self, w):
        g1, g2 = w.approved(), w.approved()
        await self.save(w, [g1.id], idempotency_key="req-1")
        before = w.uow.committed.copy()
        with pytest.raises(Conflict) as caught:
            await self.save(w, [g2.id], idempotency_key="req-1")
        assert caught.value.field == "idempotencyKey"
        assert unchanged(w.uow, before)

    async def test_an_idempotency_key_is_remembered_only_when_the_save_succeeds(self, w):
        g = w.generation()
        with pytest.raises(ItemErrors):
            await self.save(w, [g.id], idempotency_key="req-1")
        w.policy(require_approval=False)
        assert (
            len(await self.save(w, [g.id], idempotency_key="req-1", options=SaveOptions(alt_text=ALT))) == 1
        )

    @pytest.mark.parametrize("key", ["", "has space", "x" * 256, "slash/", "naïve"])
    async def test_a_malformed_idempotency_key_is_refused(self, w, key):
        g = w.approved()
        with pytest.raises(InvalidInput) as caught:
            await self.save(w, [g.id], idempotency_key=key)
        assert caught.value.field == "idempotencyKey"

    async def test_an_unknown_folder_is_not_found(self, w):
        g = w.approved()
        with pytest.raises(NotFound) as caught:
            await self.save(w, [g.id], options=SaveOptions(folder_id=w.theirs.folder().id))
        assert caught.value.field == "folderId"

    async def test_unknown_and_archived_projects_are_named(self, w):
        live = w.ours.project("Live")
        archived = w.ours.project("Old", archived=True)
        g = w.approved()
        with pytest.raises(ItemErrors) as caught:
            await self.save(w, [g.id], options=SaveOptions(project_ids=(live.id, 777, archived.id)))
        assert caught.value.field == "projectIds"
        assert items(caught.value) == [
            (1, 777, ErrorCode.NOT_FOUND, "projectIds[1]"),
            (2, archived.id, ErrorCode.INVALID_STATE, "projectIds[2]"),
        ]

    @pytest.mark.parametrize(("ids", "error"), [([], InvalidInput), (list(range(1, 502)), LimitExceeded)])
    async def test_between_one_and_five_hundred_ids_are_taken(self, w, ids, error):
        with pytest.raises(error):
            await self.save(w, ids)


# -- importing --------------------------------------------------------------------------------------------


class TestImporting:
    async def run(self, w: World, session: Session, upload_id: int, **kwargs: Any) -> Generation:
        return await w.studio.import_generation(
            w.creator, session_id=session.id, upload_id=upload_id, **kwargs
        )

    def upload(self, w: World, **changes: Any) -> int:
        return w.ours.upload(w.creator.member_id, **changes).id

    async def test_the_prompt_and_parameters_come_from_the_files_metadata(self, w):
        session = w.session(platform=Platform.PINTEREST)
        upload_id = self.upload(
            w,
            prompt="a cosy reading nook, warm light",
            negative_prompt="lowres",
            seed=1234,
            model="sdxl-base",
            tool="automatic1111",
        )
        w.clock.advance(timedelta(hours=2))
        g = await self.run(w, session, upload_id)
        assert (g.prompt, g.negative_prompt, g.seed, g.model, g.provider) == (
            "a cosy reading nook, warm light",
            "lowres",
            1234,
            "sdxl-base",
            "automatic1111",
        )
        assert (g.width, g.height, g.aspect_ratio, g.platform) == (
            1080,
            1350,
            AspectRatio.PORTRAIT,
            Platform.PINTEREST,
        )
        assert (g.credits_used, g.review_state) == (0, ReviewState.PENDING)
        assert g.expires_at == EPOCH + timedelta(hours=2) + 30 * DAY
        assert w.uow.committed.uploads[upload_id].consumed_at == EPOCH + timedelta(hours=2)
        [event] = w.uow.events
        assert (event.type, event.payload) == (
            "generation.imported",
            {"session_id": session.id, "upload_id": upload_id},
        )

    async def test_what_the_caller_gives_wins_over_the_metadata(self, w):
        upload_id = self.upload(w, prompt="from the file", tool="comfyui", seed=1, model="m1")
        g = await self.run(
            w,
            w.session(),
            upload_id,
            prompt="typed by hand",
            provider="midjourney",
            model="v6",
            seed=2,
            aspect_ratio=AspectRatio.SQUARE,
        )
        assert (g.prompt, g.provider, g.model, g.seed, g.aspect_ratio) == (
            "typed by hand",
            "midjourney",
            "v6",
            2,
            AspectRatio.SQUARE,
        )

    async def test_a_file_without_metadata_imports_with_an_empty_prompt(self, w):
        g = await self.run(w, w.session(), self.upload(w))
        assert (g.prompt, g.negative_prompt, g.provider, g.model, g.seed) == ("", "", "import", "", None)

    async def test_an_unknown_upload_is_not_found(self, w):
        with pytest.raises(NotFound) as caught:
            await self.run(w, w.session(), 999)
        assert caught.value.field == "uploadId"

    async def test_an_upload_of_another_organisation_is_not_found(self, w):
        upload = w.theirs.upload(1)
        with pytest.raises(NotFound):
            await self.run(w, w.session(), upload.id)
        assert w.uow.committed.uploads[upload.id].consumed_at is None

    async def test_an_upload_older_than_a_day_is_not_found(self, w):
        upload_id = self.upload(w)
        w.clock.advance(DAY)
        with pytest.raises(NotFound, match="a day"):
            await self.run(w, w.session(), upload_id)

    async def test_an_upload_is_imported_only_once(self, w):
        session = w.session()
        upload_id = self.upload(w)
        await self.run(w, session, upload_id)
        before = w.uow.committed.copy()
        with pytest.raises(InvalidState) as caught:
            await self.run(w, session, upload_id)
        assert caught.value.field == "uploadId"
        assert unchanged(w.uow, before)

    async def test_a_secret_in_the_metadata_is_refused_and_the_upload_stays_unused(self, w):
        secret = "gh" + "p_" + "a1B2" * 9
        upload_id = self.upload(w, prompt=f"a fox, token {secret}")
        session = w.session()
        before = w.uow.committed.copy()
        with pytest.raises(InvalidInput) as caught:
            await self.run(w, session, upload_id)
        assert secret not in caught.value.message
        assert unchanged(w.uow, before)

    async def test_a_secret_in_the_metadatas_negative_prompt_is_refused(self, w):
        upload_id = self.upload(w, prompt="a fox", negative_prompt="hf_" + "x" * 34)
        with pytest.raises(InvalidInput) as caught:
            await self.run(w, w.session(), upload_id)
        assert caught.value.field == "negativePrompt"

    async def test_a_closed_session_takes_no_imports(self, w):
        upload_id = self.upload(w)
        with pytest.raises(InvalidState):
            await self.run(w, w.session(closed_at=EPOCH), upload_id)
        assert w.uow.committed.uploads[upload_id].consumed_at is None

    async def test_an_out_of_range_seed_is_refused(self, w):
        with pytest.raises(InvalidInput) as caught:
            await self.run(w, w.session(), self.upload(w), seed=2**63)
        assert caught.value.field == "seed"

    async def test_an_imported_file_without_metadata_is_saved_with_a_name(self, w):
        upload_id = self.upload(w, blob_key=w.blobs.seed("scratch", b"an imported file").key)
        g = await self.run(w, w.session(), upload_id)
        await w.studio.approve(w.approver, generation_ids=[g.id], alt_text=ALT)
        [asset] = await w.library.save(w.editor, generation_ids=[g.id])
        assert (g.prompt, asset.name) == ("", "Untitled generation")  # no prompt to name it by


# -- organising -------------------------------------------------------------------------------------------


class TestCreatingFolders:
    async def test_an_editor_creates_a_folder_at_the_root_and_inside_another(self, w):
        root = await w.library.create_folder(w.editor, name=" Campaigns ")
        child = await w.library.create_folder(w.editor, name="2026", parent_id=root.id)
        assert (root.name, root.parent_id, child.parent_id) == ("Campaigns", None, root.id)
        assert w.uow.event_types() == ["folder.created", "folder.created"]
        assert w.uow.events[0].payload == {"name": "Campaigns"}

    async def test_a_sibling_with_the_same_name_in_any_case_is_a_conflict(self, w):
        await w.library.create_folder(w.editor, name="Campaigns")
        before = w.uow.committed.copy()
        with pytest.raises(Conflict) as caught:
            await w.library.create_folder(w.editor, name="CAMPAIGNS")
        assert caught.value.field == "name"
        assert unchanged(w.uow, before)

    async def test_the_same_name_under_another_parent_is_fine(self, w):
        a = await w.library.create_folder(w.editor, name="A")
        b = await w.library.create_folder(w.editor, name="B")
        await w.library.create_folder(w.editor, name="Drafts", parent_id=a.id)
        await w.library.create_folder(w.editor, name="Drafts", parent_id=b.id)
        await w.library.create_folder(w.editor, name="Drafts")
        assert len(w.uow.committed.folders) == 5

    async def test_another_organisation_may_use_the_same_name(self, w):
        w.theirs.folder("Campaigns")
        assert (await w.library.create_folder(w.editor, name="campaigns")).org_id == w.org.id

    async def test_an_unknown_parent_is_not_found(self, w):
        foreign = w.theirs.folder()
        with pytest.raises(NotFound) as caught:
            await w.library.create_folder(w.editor, name="x", parent_id=foreign.id)
        assert caught.value.field == "parentId"

    @pytest.mark.parametrize("role", ROLES_WITHOUT["organise"])
    async def test_viewers_and_creators_may_not_create_folders(self, w, role):
        with pytest.raises(Forbidden):
            await w.library.create_folder(w.actor(role), name="x")

    @pytest.mark.parametrize("name", ["", "  ", "a\nb", "n" * 201])
    async def test_a_bad_name_is_refused(self, w, name):
        with pytest.raises(InvalidInput):
            await w.library.create_folder(w.editor, name=name)


class TestCreatingProjects:
    async def test_an_editor_creates_a_project(self, w):
        project = await w.library.create_project(w.editor, name=" Summer sale ", description=" July ")
        assert (project.name, project.description, project.archived) == ("Summer sale", "July", False)
        assert w.uow.committed.projects[project.id] == project
        assert w.uow.event_types() == ["project.created"]

    async def test_a_project_with_the_same_name_in_any_case_is_a_conflict(self, w):
        await w.library.create_project(w.editor, name="Summer sale")
        before = w.uow.committed.copy()
        with pytest.raises(Conflict) as caught:
            await w.library.create_project(w.editor, name="summer SALE")
        assert caught.value.field == "name"
        assert unchanged(w.uow, before)

    async def test_another_organisation_may_use_the_same_name(self, w):
        w.theirs.project("Summer sale")
        assert (await w.library.create_project(w.editor, name="Summer sale")).org_id == w.org.id

    @pytest.mark.parametrize("role", ROLES_WITHOUT["organise"])
    async def test_viewers_and_creators_may_not_create_projects(self, w, role):
        with pytest.raises(Forbidden):
            await w.library.create_project(w.actor(role), name="x")


# -- retention --------------------------------------------------------------------------------------------


class TestCleaningUpExpiredGenerations:
    async def test_expired_unkept_generations_and_their_images_are_deleted(self, w):
        session = w.session()
        expired = w.generation(session, expires_at=EPOCH + DAY)
        fresh = w.generation(session, expires_at=EPOCH + 30 * DAY)
        liked = w.generation(session, expires_at=EPOCH + DAY)
        w.ours.like(liked.id, w.creator.member_id)
        approved = w.approved(session, expires_at=EPOCH + DAY)
        w.clock.advance(2 * DAY)

        report = await w.studio.cleanup_expired()

        assert (report.deleted, report.blobs_deleted, report.skipped) == (1, 1, 0)
        assert set(w.uow.committed.generations) == {fresh.id, liked.id, approved.id}
        assert expired.blob_key not in w.blobs.keys("scratch")
        assert w.uow.event_types() == ["generation.expired"]

    async def test_an_image_another_generation_still_uses_is_kept(self, w):
        session = w.session()
        expired = w.generation(session, expires_at=EPOCH)
        w.ours.generation(session, blob_key=expired.blob_key, expires_at=None)
        w.clock.advance(DAY)
        report = await w.studio.cleanup_expired()
        assert (report.deleted, report.blobs_deleted) == (1, 0)
        assert expired.blob_key in w.blobs.keys("scratch")

    async def test_small_batches_still_delete_everything(self, w):
        session = w.session()
        for _ in range(5):
            w.generation(session, expires_at=EPOCH)
        w.clock.advance(DAY)
        seen: list[int] = []
        report = await w.studio.cleanup_expired(batch_size=2, on_progress=seen.append)
        assert report.deleted == 5 and w.uow.committed.generations == {}
        assert seen == [2, 2, 1]

    async def test_uploads_never_imported_are_swept_after_a_day(self, w):
        stale = w.ours.upload(w.creator.member_id, blob_key=w.blobs.seed("scratch", b"u").key)
        w.clock.advance(DAY + timedelta(hours=2))
        report = await w.studio.cleanup_expired()
        assert report.uploads_deleted == 1 and w.uow.committed.uploads == {}
        assert stale.blob_key not in w.blobs.keys("scratch")
