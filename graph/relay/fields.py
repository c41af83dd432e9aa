"""Domain dataclasses to GraphQL types by field name: each field list is written once, on the entity."""

from __future__ import annotations

import dataclasses
import functools
import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


@functools.cache
def _reader(cls: type, given: tuple[str, ...]) -> tuple[tuple[str, ...], Callable[[object], Any]]:
    """The fields of `cls` read from the domain object (all but `given`), and one call reading them."""
    names = tuple(f.name for f in dataclasses.fields(cls) if f.init and f.name not in given)
    return names, _tuple_reader(operator.attrgetter, names)


def _tuple_reader(getter: Any, keys: tuple[Any, ...]) -> Callable[[object], tuple[Any, ...]]:
    # attrgetter and itemgetter return the value itself for one key, a tuple for several
    if len(keys) > 1:
        return getter(*keys)
    if keys:
        one = getter(keys[0])
        return lambda obj: (one(obj),)
    return lambda obj: ()


def from_domain(cls: type[T], obj: object, **given: Any) -> T:
    """An instance of the strawberry type `cls`: its fields from `obj`'s of the same name, or from `given`."""
    # resolver fields take no value, so are not listed
    names, read = _reader(cls, tuple(given))  # type: ignore[arg-type]  # classes hash by identity
    values = dict(zip(names, read(obj), strict=True))
    if given:
        values.update(given)
    return cls(**values)
