"""An event's payload as clients read it: camelCase keys, ids as the API's global ids.

The domain records its own ids (integers) in payloads; clients know objects only by their
global ids, so each id field is written here once with the type it names. A test checks
that every id field of the catalogue is in this table, so a new event cannot leak raw ids.
"""

from __future__ import annotations

from collections.abc import Mapping

from graph.relay.ids import to_global_id

ID_FIELDS: Mapping[str, str] = {
    "asset_id": "Asset",
    "asset_ids": "Asset",
    "generation_id": "Generation",
    "session_id": "Session",
    "upload_id": "Upload",
    "project_id": "Project",
    "parent_id": "Folder",
    "previous_parent_id": "Folder",
    "content_moved_to": "Folder",
    "source_id": "Tag",
    "delivery_id": "WebhookDelivery",
}
"""Payload fields holding ids, and the GraphQL type each names."""


def camel(name: str) -> str:
    """`previous_parent_id` -> `previousParentId`, as GraphQL names fields."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def client_payload(payload: Mapping[str, object]) -> dict[str, object]:
    """The payload with camelCase keys and global ids."""
    out: dict[str, object] = {}
    for key, value in payload.items():
        type_name = ID_FIELDS.get(key)
        if type_name is not None:
            value = _global(type_name, value)
        out[camel(key)] = value
    return out


def _global(type_name: str, value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return to_global_id(type_name, value)
    if isinstance(value, list):
        return [_global(type_name, v) for v in value]
    return value
