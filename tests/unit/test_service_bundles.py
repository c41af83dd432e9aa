"""Each feature's bundle offers every use case of its service modules, so no caller needs the modules."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest

from domain.library import editing, organising, saving, uploading
from domain.library.placements import services as placements
from domain.library.services import Library
from domain.library.trash import services as trash
from domain.organisations import onboarding, tokens
from domain.organisations.services import Organisations
from domain.studio import generating, importing, likes, retention, review, sessions, uploads
from domain.studio.services import Studio
from domain.webhooks import delivering, managing
from domain.webhooks.services import Webhooks

BUNDLES: list[tuple[type, list[ModuleType]]] = [
    (Studio, [sessions, generating, importing, likes, uploads, review, retention]),
    (Library, [saving, organising, editing, uploading, trash, placements]),
    (Organisations, [onboarding, tokens]),
    (Webhooks, [managing, delivering]),
]
IDS = [bundle.__name__ for bundle, _ in BUNDLES]


def _use_cases(bundle: type, module: ModuleType) -> dict[str, object]:
    """The module's public functions whose first parameter is the bundle."""
    found = {}
    for name, function in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(function) or function.__module__ != module.__name__:
            continue
        parameters = list(inspect.signature(function).parameters.values())
        if parameters and parameters[0].annotation == bundle.__name__:
            found[name] = function
    return found


@pytest.mark.parametrize(("bundle", "modules"), BUNDLES, ids=IDS)
def test_every_function_taking_the_bundle_is_one_of_its_methods(bundle, modules):
    methods = list(vars(bundle).values())
    use_cases = {name: f for module in modules for name, f in _use_cases(bundle, module).items()}
    assert use_cases, bundle.__name__
    assert [name for name, f in use_cases.items() if f not in methods] == []


@pytest.mark.parametrize(("bundle", "modules"), BUNDLES, ids=IDS)
def test_every_method_is_a_use_case_of_the_feature(bundle, modules):
    use_cases = [f for module in modules for f in vars(module).values() if inspect.isfunction(f)]
    methods = {
        name: member.__func__ if isinstance(member, staticmethod) else member
        for name, member in vars(bundle).items()
        if not name.startswith("_") and (inspect.isfunction(member) or isinstance(member, staticmethod))
    }
    assert methods
    assert [name for name, f in methods.items() if f not in use_cases] == []
