"""Facets: counts of all matching assets by value, against a count by hand; a fixed number of statements."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from graph.relay.ids import to_global_id
from tests.builders import gql, make_tenant
from tests.graph.statements import count_statements

FACETS = """query($filter: AssetFilter, $search: String, $first: Int) {
  assets(filter: $filter, search: $search, first: $first) {
    totalCount
    edges { node { id name tags { name } } }
    facets {
      tags { value count tag { id name } }
      projects { value count project { id name } }
      folders { value count folder { id name } }
      mimeTypes { value count }
      aiGenerated { value count }
      providers { value count }
      models { value count }
    } } }"""


@pytest.fixture
async def library(tenant):
    """40 assets spread over tags, projects, folders, types and providers; returns what each has."""
    rng = random.Random(11)
    tags = {n: await tenant.tag(n) for n in ("red", "green", "blue")}
    projects = {n: await tenant.project(n) for n in ("Spring", "Autumn")}
    folders = {n: await tenant.folder(n) for n in ("Posts", "Ads")}
    made = []
    for i in range(40):
        own_tags = rng.sample(sorted(tags), rng.randint(0, 2))
        own_projects = rng.sample(sorted(projects), rng.randint(0, 1))
        folder = rng.choice([None, *sorted(folders)])
        ai = rng.random() < 0.6
        row = {
            "name": f"asset {i}",
            "tags": own_tags,
            "projects": own_projects,
            "folder": folder,
            "mime": rng.choice(["image/png", "image/webp"]),
            "ai": ai,
            "provider": rng.choice(["procedural", "openai"]) if ai else "",
            "model": rng.choice(["m1", "m2", "m3"]) if ai else "",
            "prompt": rng.choice(["a harbour at dawn", "a field"]) if ai else "",
        }
        await tenant.asset(
            row["name"],
            tags=tuple(tags[n] for n in own_tags),
            projects=tuple(projects[n] for n in own_projects),
            folder_id=folders[folder] if folder else None,
            mime_type=row["mime"],
            ai_generated=ai,
            provider=row["provider"],
            model=row["model"],
            prompt=row["prompt"],
        )
        made.append(row)
    # in the trash: never counted, whatever it has
    await tenant.asset(
        "trashed",
        tags=(tags["red"],),
        projects=(projects["Spring"],),
        mime_type="image/gif",
        trashed_at=datetime.now(UTC),
    )
    tenant.made = made
    tenant.ids = {"tag": tags, "project": projects, "folder": folders}
    return tenant


def by_hand(rows, ids):
    """The facets as counted over the rows in Python."""

    def counted(values):
        return dict(Counter(values))

    tag_ids = {name: to_global_id("Tag", pk) for name, pk in ids["tag"].items()}
    project_ids = {name: to_global_id("Project", pk) for name, pk in ids["project"].items()}
    folder_ids = {name: to_global_id("Folder", pk) for name, pk in ids["folder"].items()}
    return {
        "tags": counted(tag_ids[t] for r in rows for t in r["tags"]),
        "projects": counted(project_ids[p] for r in rows for p in r["projects"]),
        "folders": counted(folder_ids[r["folder"]] if r["folder"] else None for r in rows),
        "mimeTypes": counted(r["mime"] for r in rows),
        "aiGenerated": counted(r["ai"] for r in rows),
        "providers": counted(r["provider"] for r in rows if r["ai"]),
        "models": counted(r["model"] for r in rows if r["ai"]),
    }


def as_counts(facets):
    return {kind: {f["value"]: f["count"] for f in values} for kind, values in facets.items()}


class TestCounts:
    async def test_facets_of_the_whole_library_match_a_count_by_hand(self, client, library):
        _, body = await gql(client, library.token, FACETS, {"first": 5})
        conn = body["data"]["assets"]
        assert as_counts(conn["facets"]) == by_hand(library.made, library.ids)
        assert conn["totalCount"] == 40

    async def test_facets_follow_the_filter_and_the_search(self, client, library):
        red = to_global_id("Tag", library.ids["tag"]["red"])
        variables = {"filter": {"anyTagIds": [red]}, "search": "harbour"}
        _, body = await gql(client, library.token, FACETS, variables)
        rows = [r for r in library.made if "red" in r["tags"] and "harbour" in r["prompt"]]
        assert rows  # the seed makes some
        assert as_counts(body["data"]["assets"]["facets"]) == by_hand(rows, library.ids)
        assert body["data"]["assets"]["totalCount"] == len(rows)

    async def test_the_objects_beside_the_counts_are_those_of_the_values(self, client, library):
        _, body = await gql(client, library.token, FACETS, {"first": 1})
        facets = body["data"]["assets"]["facets"]
        assert all(f["tag"]["id"] == f["value"] for f in facets["tags"])
        assert all(f["project"]["id"] == f["value"] for f in facets["projects"])
        assert all((f["folder"] or {}).get("id") == f["value"] for f in facets["folders"])
        counts = [f["count"] for f in facets["tags"]]
        assert counts == sorted(counts, reverse=True)  # the most frequent first

    async def test_another_organisations_assets_are_never_counted(self, client, engine, library):
        other = await make_tenant(engine)
        await other.asset(
            "theirs", mime_type="image/png", ai_generated=True, provider="procedural", model="m1"
        )
        _, body = await gql(client, library.token, FACETS, {})
        assert as_counts(body["data"]["assets"]["facets"]) == by_hand(library.made, library.ids)


class TestStatements:
    async def test_a_page_with_every_facet_costs_the_same_statements_whatever_its_size(
        self, client, engine, library
    ):
        counts = {}
        for first in (40, 3):
            with count_statements(engine) as statements:
                _, body = await gql(client, library.token, FACETS, {"first": first})
            assert "errors" not in body, body
            assert len(body["data"]["assets"]["edges"]) == first
            counts[first] = len(statements)
        # auth, page, count, the tags of the page, the 7 facets in one, their tags, projects and folders
        assert counts[40] == counts[3] == 8, counts

    async def test_only_the_facets_asked_for_are_computed(self, client, engine, library):
        query = "{ assets(first: 5) { edges { node { id } } facets { mimeTypes { value count } } } }"
        with count_statements(engine) as statements:
            _, body = await gql(client, library.token, query)
        assert "errors" not in body, body
        assert len(statements) == 3  # auth, page, the one facet


def random_filter(rng: random.Random, ids) -> tuple[dict, str | None, object]:
    """A random combination of the conditions facets follow: (filter, search, the rule by hand)."""
    conditions = []
    chosen: dict = {}
    if rng.random() < 0.4:
        names = rng.sample(sorted(ids["tag"]), rng.randint(1, 2))
        if rng.random() < 0.5:
            chosen["anyTagIds"] = [to_global_id("Tag", ids["tag"][n]) for n in names]
            conditions.append(lambda r, names=names: any(n in r["tags"] for n in names))
        else:
            chosen["allTagIds"] = [to_global_id("Tag", ids["tag"][n]) for n in names]
            conditions.append(lambda r, names=names: all(n in r["tags"] for n in names))
    if rng.random() < 0.3:
        name = rng.choice(sorted(ids["project"]))
        chosen["projectIds"] = [to_global_id("Project", ids["project"][name])]
        conditions.append(lambda r, name=name: name in r["projects"])
    if rng.random() < 0.3:
        name = rng.choice(sorted(ids["folder"]))
        chosen["folderId"] = to_global_id("Folder", ids["folder"][name])
        conditions.append(lambda r, name=name: r["folder"] == name)
    if rng.random() < 0.3:
        ai = rng.random() < 0.5
        chosen["aiGenerated"] = ai
        conditions.append(lambda r, ai=ai: r["ai"] == ai)
    for field, key, values in (
        ("mimeTypes", "mime", ["image/png", "image/webp", "image/gif"]),
        ("providers", "provider", ["procedural", "openai"]),
        ("models", "model", ["m1", "m2", "m3"]),
    ):
        if rng.random() < 0.25:
            picked = rng.sample(values, rng.randint(1, 2))
            chosen[field] = picked
            conditions.append(lambda r, key=key, picked=picked: r[key] in picked)
    search = rng.choice([None, None, "harbour", "field", "dawn harbour", "asset"])
    if search is not None:
        words = search.split()
        conditions.append(
            lambda r, words=words: all(w in f"{r['name']} {r['prompt']}".split() for w in words)
        )
    return chosen, search, lambda r: all(c(r) for c in conditions)


class TestAgainstBruteForce:
    async def test_the_facets_of_random_filters_and_searches_equal_a_count_by_hand(self, client, library):
        rng = random.Random(2026)
        sizes = set()
        for _ in range(30):
            chosen, search, rule = random_filter(rng, library.ids)
            variables = {"filter": chosen, "search": search, "first": 0}
            status, body = await gql(client, library.token, FACETS, variables)
            assert status == 200 and "errors" not in body, body
            rows = [r for r in library.made if rule(r)]
            conn = body["data"]["assets"]
            assert as_counts(conn["facets"]) == by_hand(rows, library.ids), variables
            assert conn["totalCount"] == len(rows), variables
            sizes.add(len(rows))
        assert len(sizes) > 10  # the filters vary what they match: none, a few, many
