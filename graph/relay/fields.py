"""Domain dataclasses to GraphQL types by field name: each field list is written once, on the entity."""

from __future__ import annotations

import dataclasses
import functools
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls) if f.init)  # resolver fields take no value


def from_domain(cls: type[T], obj: object, **given: Any) -> T:
    """An instance of the strawberry type `cls`: its fields from `obj`'s of the same name, or from `given`."""
    values = dict(given)
    for name in _names(cls):  # type: ignore[arg-type]  # classes hash by identity
        if name not in values:
            values[name] = getattr(obj, name)
    return cls(**values)
