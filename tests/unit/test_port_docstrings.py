"""Every method of every port says what it promises: the docstring is the contract adapters and fakes keep."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from typing import Any

import domain


def _protocols() -> dict[str, type]:
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and obj.__module__ == module.__name__
                and getattr(obj, "_is_protocol", False)
            ):
                found[f"{module.__name__}.{name}"] = obj
    return found


def _methods(cls: type) -> dict[str, Any]:
    """The methods and properties written in the class body (not those typing.Protocol adds)."""
    out: dict[str, Any] = {}
    for name, member in vars(cls).items():
        function = member.fget if isinstance(member, property) else member
        if inspect.isfunction(function) and function.__qualname__.startswith(f"{cls.__qualname__}."):
            out[name] = function
    return out


PROTOCOLS = _protocols()


def test_the_walk_finds_the_ports_of_every_layer_of_the_domain() -> None:
    for expected in (
        "domain.unit_of_work.UnitOfWork",
        "domain.unit_of_work.Reads",
        "domain.kernel.ports.BlobStore",
        "domain.kernel.idempotency.IdempotencyRepository",
        "domain.organisations.ports.TokenRepository",
        "domain.studio.ports.GenerationRepository",
        "domain.library.ports.LibraryReads",
    ):
        assert expected in PROTOCOLS
    assert "aenter" in "".join(_methods(PROTOCOLS["domain.unit_of_work.UnitOfWork"]))
    assert "organisations" in _methods(PROTOCOLS["domain.unit_of_work.UnitOfWork"])  # properties count


def test_every_port_method_has_a_docstring() -> None:
    undocumented = [
        f"{path}.{name}"
        for path, cls in PROTOCOLS.items()
        for name, function in _methods(cls).items()
        if not (function.__doc__ or "").strip()
    ]
    assert undocumented == []
