"""The event catalogue as the README prints it: every type, its subject, payload and meaning.

Written from the event classes themselves, so the documentation cannot drift from what is
recorded (a test compares the README's table with this one).
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from dataclasses import fields

import domain
from domain.kernel.events import DomainEvent, catalogue
from graph.events.payloads import ID_FIELDS, camel

_ENVELOPE = {f.name for f in fields(DomainEvent)}


def _load() -> None:
    """Import every feature's `events` module: each adds its classes to the catalogue."""
    for feature in pkgutil.iter_modules(domain.__path__):
        if feature.ispkg and importlib.util.find_spec(f"domain.{feature.name}.events") is not None:
            importlib.import_module(f"domain.{feature.name}.events")


def _meaning(doc: str | None) -> str:
    text = " ".join((doc or "").split())
    text = re.sub(r"`([a-z]+(?:_[a-z]+)+)`", lambda m: f"`{camel(m.group(1))}`", text)
    return text.replace("(None:", "(null:").replace("|", "\\|")


def _payload_type(name: str, annotation: object) -> str:
    text = str(annotation)
    if name in ID_FIELDS:
        kind = "[ID]" if "tuple" in text else "ID"
        return f"{kind} of {ID_FIELDS[name]}" + (" or null" if "None" in text else "")
    text = re.sub(r"tuple\[(\w+), \.\.\.\]", r"[\1]", text)
    return (
        text.replace(" | None", " or null")
        .replace("str", "String")
        .replace("int", "Int")
        .replace("bool", "Boolean")
    )


def catalogue_markdown() -> str:
    """A Markdown table of every event type and version."""
    _load()
    lines = ["| type | subject | payload | meaning |", "|---|---|---|---|"]
    for (type_, version), cls in sorted(catalogue().items()):
        own = [f for f in fields(cls) if f.name not in _ENVELOPE]
        payload = ", ".join(f"`{camel(f.name)}`: {_payload_type(f.name, f.type)}" for f in own)
        meaning = _meaning(cls.__doc__)
        name = f"`{type_}`" + (f" v{version}" if version != 1 else "")
        lines.append(f"| {name} | {cls.subject_type} | {payload or 'none'} | {meaning} |")
    return "\n".join(lines) + "\n"
