"""The event catalogue: one class per type and version, each with a documented payload."""

from __future__ import annotations

import dataclasses
import json
import re
import typing
from datetime import UTC, datetime

import domain.library.events
import domain.organisations.events
import domain.processing.events
import domain.studio.events
import domain.webhooks.events
from domain.kernel.access import Actor, Role
from domain.kernel.events import DomainEvent, catalogue
from domain.library.events import AssetSaved
from domain.studio.events import GenerationEscalated, SessionUpdated
from domain.studio.model import Concern

AT = datetime(2026, 6, 1, tzinfo=UTC)
MODULES = (
    domain.organisations.events,
    domain.studio.events,
    domain.library.events,
    domain.processing.events,
    domain.webhooks.events,
)


def test_every_event_class_of_every_feature_is_in_the_catalogue_once():
    defined = {
        cls
        for module in MODULES
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, DomainEvent) and cls is not DomainEvent
    }
    assert len(defined) == 55
    assert set(catalogue().values()) == defined
    for (type_name, version), cls in catalogue().items():
        assert re.fullmatch(r"[a-z]+\.[a-z]+", type_name) and version >= 1
        assert cls.subject_type and cls.__doc__, cls


def test_the_payload_is_the_class_own_fields_as_json():
    hints = typing.get_type_hints(AssetSaved)
    assert {f.name for f in dataclasses.fields(AssetSaved)} - {
        "org_id",
        "subject_id",
        "actor_id",
        "occurred_at",
    } == {
        "generation_id",
        "session_id",
    } and hints["generation_id"] is int
    actor = Actor(org_id=3, member_id=7, role=Role.EDITOR)
    saved = AssetSaved.by(actor, 11, AT, generation_id=5, session_id=2)
    assert (saved.org_id, saved.subject_id, saved.actor_id, saved.occurred_at) == (3, 11, 7, AT)
    assert saved.payload == {"generation_id": 5, "session_id": 2}
    escalated = GenerationEscalated.by(actor, 1, AT, concern=Concern.RIGHTS)
    updated = SessionUpdated.by(actor, 1, AT, fields=("platform", "title"))
    assert json.loads(json.dumps([escalated.payload, updated.payload])) == [
        {"concern": "rights"},
        {"fields": ["platform", "title"]},
    ]


def test_a_second_class_for_one_type_and_version_is_refused():
    try:

        @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
        class Twin(DomainEvent):
            type = "asset.saved"
            subject_type = "Asset"

    except TypeError as e:
        assert "asset.saved" in str(e)
    else:
        raise AssertionError("a twin of asset.saved v1 was accepted")
