"""Dataclasses to and from rows, by field name: each field list is written once, on the entity.

A column holds an enum by its value; reading it back turns the value into the enum the
field is annotated with. Everything else passes through as SQLAlchemy types it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, type[enum.Enum] | None], ...]:
    """Each field of the dataclass `cls`, with the enum it is annotated with (or None); once per class."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        enum_type = next((o for o in options if isinstance(o, type) and issubclass(o, enum.Enum)), None)
        plan.append((f.name, enum_type))
    return tuple(plan)


def values_of(obj: Any) -> dict[str, object]:
    """A dataclass instance as column values: every field, enums by value."""
    return {
        f.name: v.value if isinstance(v := getattr(obj, f.name), enum.Enum) else v
        for f in dataclasses.fields(obj)
    }


def from_row(cls: type[T], row: Any, **given: object) -> T:
    """An instance of the dataclass `cls` from a row's columns of the same names (and `given` ones)."""
    values: dict[str, object] = dict(given)
    for name, enum_type in _plan(cls):  # type: ignore[arg-type]  # classes hash by identity
        if name not in given:
            value = getattr(row, name)
            values[name] = enum_type(value) if enum_type is not None and value is not None else value
    return cls(**values)


def empty_values(cls: type) -> dict[str, object]:
    """Column values for a dataclass that is absent: None where its field may be None, else "" or 0."""
    values: dict[str, object] = {}
    for name, hint in typing.get_type_hints(cls).items():
        options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        values[name] = None if type(None) in options else "" if str in options else 0
    return values
