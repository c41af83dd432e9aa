"""Event payloads as clients read them: no raw database id leaks, whatever event is added next."""

from __future__ import annotations

from dataclasses import fields

import domain.library.events
import domain.organisations.events
import domain.processing.events
import domain.studio.events  # noqa: F401
from domain.kernel.events import DomainEvent, catalogue
from graph.events.payloads import ID_FIELDS, camel, client_payload
from graph.relay.ids import parse_global_id

ENVELOPE = {f.name for f in fields(DomainEvent)}


def test_every_id_field_of_the_catalogue_is_written_as_a_global_id():
    id_like = {
        f.name
        for cls in catalogue().values()
        for f in fields(cls)
        if f.name not in ENVELOPE
        and (f.name.endswith(("_id", "_ids")) or ("int" in str(f.type) and "moved_to" in f.name))
    }
    assert id_like, "the catalogue has id fields"
    assert id_like <= set(ID_FIELDS), sorted(id_like - set(ID_FIELDS))


def test_ids_become_global_ids_lists_too_and_nulls_stay_null():
    out = client_payload({"asset_ids": [3, 4], "content_moved_to": None, "session_id": 7, "name": "x"})
    assert [parse_global_id(i) for i in out["assetIds"]] == [("Asset", 3), ("Asset", 4)]
    assert out["contentMovedTo"] is None
    assert parse_global_id(out["sessionId"]) == ("Session", 7)
    assert out["name"] == "x"


def test_keys_are_camel_case():
    assert camel("previous_parent_id") == "previousParentId"
    assert camel("name") == "name"
