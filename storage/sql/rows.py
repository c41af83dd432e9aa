"""Dataclasses to and from rows, by field name: each field list is written once, on the entity.

A column holds an enum by its value; reading it back turns the value into the enum the
field is annotated with. Everything else passes through as SQLAlchemy types it.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import operator
import types
import typing
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

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


def enum_fields(cls: type) -> dict[str, type[enum.Enum]]:
    """The fields of the dataclass `cls` that hold an enum, with the enum each is annotated with."""
    return {name: enum_type for name, enum_type in _plan(cls) if enum_type is not None}


def values_of(obj: Any) -> dict[str, object]:
    """A dataclass instance as column values: every field, enums by value."""
    return {
        f.name: v.value if isinstance(v := getattr(obj, f.name), enum.Enum) else v
        for f in dataclasses.fields(obj)
    }


class _RowPlan(NamedTuple):
    """Where each field of a dataclass sits in the rows of one result shape, decided once per shape."""

    names: tuple[str, ...]
    read: Callable[[Any], tuple[Any, ...]]  # the row's values for `names`, in one C call
    enums: tuple[tuple[int, type[enum.Enum]], ...]  # positions in `names` that hold an enum's value


_row_plans: dict[tuple[type, int], tuple[object, _RowPlan]] = {}
"""Plans by (dataclass, the result's metadata); the metadata is kept beside its plan so that its
id cannot be reused while the entry lives. SQLAlchemy shares one metadata among all executions of
a cached statement, so the number of shapes is the number of distinct statements."""
_MAX_ROW_PLANS = 1024


def _row_plan(cls: type, shape: object, key_to_index: dict[Any, int]) -> _RowPlan:
    known = _row_plans.get((cls, id(shape)))
    if known is not None and known[0] is shape:
        return known[1]
    names: list[str] = []
    indices: list[int] = []
    enums: list[tuple[int, type[enum.Enum]]] = []
    for name, enum_type in _plan(cls):
        if name not in key_to_index:
            continue  # a field no column holds: the mapper gives it
        if enum_type is not None:
            enums.append((len(names), enum_type))
        names.append(name)
        indices.append(key_to_index[name])
    plan = _RowPlan(tuple(names), _values_at(tuple(indices)), tuple(enums))
    if len(_row_plans) >= _MAX_ROW_PLANS:
        _row_plans.clear()
    _row_plans[(cls, id(shape))] = (shape, plan)
    return plan


def _values_at(indices: tuple[int, ...]) -> Callable[[Any], tuple[Any, ...]]:
    if len(indices) > 1:
        return operator.itemgetter(*indices)
    # itemgetter returns the value itself for one index
    return lambda row: tuple(row[i] for i in indices)


def from_row(cls: type[T], row: Any, **given: object) -> T:
    """An instance of the dataclass `cls` from a row's columns of the same names (and `given` ones)."""
    shape = getattr(row, "_parent", None)
    key_to_index = getattr(row, "_key_to_index", None)
    if shape is None or key_to_index is None:  # not a SQLAlchemy row: read by attribute name
        return _from_attributes(cls, row, given)
    plan = _row_plan(cls, shape, key_to_index)
    values: Sequence[Any] = plan.read(row)
    if plan.enums:
        converted = list(values)
        for position, enum_type in plan.enums:
            if (value := converted[position]) is not None:
                converted[position] = enum_type(value)
        values = converted
    fields = dict(zip(plan.names, values, strict=True))
    if given:
        fields.update(given)
    return cls(**fields)


def _from_attributes(cls: type[T], row: Any, given: dict[str, object]) -> T:
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
