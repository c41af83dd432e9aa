"""Every GraphQL document the README shows is valid against the schema the code builds.

The walkthrough's mutations also run on a fresh demo (tests/e2e/test_readme_workflow.py);
the other examples (library screens, trash, placements, uploads) need ids of a reader's own
library, so they are checked here for what cannot depend on data: that they parse and
validate, so a renamed field or argument cannot leave the README behind.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from graphql import parse, validate

from graph.schema import build_schema

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"```graphql(?: example)?\n(.*?)```", re.S)
OPERATION_START = re.compile(r"\n(?=(?:mutation|query|subscription)\b|\{)")


def operations() -> list[str]:
    """Each operation of each graphql block, a block split where a new operation begins."""
    found = []
    for block in FENCE.findall(README.read_text()):
        parts = (op.strip() for op in OPERATION_START.split("\n" + block))
        found += [op for op in parts if re.sub(r"(?m)^\s*#.*$", "", op).strip()]  # not comments alone
    return found


def test_the_readme_shows_the_library_screens():
    names = " ".join(operations())
    for screen in ("FolderPage", "PromptSearch", "AssetDetail", "addUploadsToLibrary", "trashAssets"):
        assert screen in names


@pytest.mark.parametrize("operation", operations(), ids=lambda op: re.sub(r"(?m)^\s*#.*\n", "", op)[:60])
def test_each_readme_operation_is_valid_against_the_schema(operation):
    schema = build_schema()._schema
    errors = validate(schema, parse(operation))
    assert errors == [], [e.message for e in errors]
