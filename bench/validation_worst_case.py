"""Validation time of the slowest documents that still pass the pre-validation bounds.

What it measures: for hand-built hostile documents (repeated identical fields,
nested duplicates, many fragments, fragments on interfaces, wide distinct trees),
whether `graph.document_bounds` accepts them, and how long graphql-core's full
validation (the schema's rules, the depth and alias limits included) takes for each,
in process, without the validation cache. Each candidate is grown as far as the
bounds allow; refused ones show how long the bounds check took to refuse them.
Real queries (the README's and the e2e tests') are listed too.

Run from the repository root:

    .venv/bin/python bench/validation_worst_case.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from graphql import parse
from strawberry.schema.schema import validate_document

from graph.limits.document_bounds import MAX_FIELDS, MAX_FRAGMENT_SPREADS, MAX_MERGE_PAIRS, measure
from graph.schema import LIMIT_RULES, MAX_TOKENS, schema

RULES = (*__import__("graphql").specified_rules, *LIMIT_RULES)

ASSET_SCALARS = (
    "id name description altText mimeType byteSize width height aiGenerated trashedAt createdAt updatedAt"
)
GEN_SCALARS = (
    "id prompt negativePrompt platform aspectRatio width height provider model seed creditsUsed "
    "reviewState mimeType byteSize createdAt expiresAt likedByViewer likeCount"
)

LIBRARY_PAGE = """query LibraryPage($after: String) {
  assets(first: 50, after: $after) { totalCount edges { cursor
  node { id name altText width height aiGenerated folder { name path { name } }
  tags { name } projects { name }
  provenance { prompt seed provider model creditsUsed rightsNotes intendedPlacement brandKit { name }
  session { title } reviewedBy { name } contextAssets { name } } generation { id likeCount } } }
  pageInfo { hasNextPage endCursor } } }"""

STUDIO = """{ viewer { role member { name email } organisation { slug name } }
  heroes: assets(filter: { aiGenerated: true, favourite: false }) { totalCount }
  folders { edges { node { name children { name }
    assets(first: 5) { totalCount edges { node { name } } } } } }
  projects(filter: { archived: false }) { edges { node { name assets { totalCount } } } }
  sessions(filter: { state: OPEN }) { edges { node { title platform aspectRatio brandKit { name }
    generations(first: 10) { edges { node {
      prompt reviewState likeCount likedByViewer savedAsset { name } } } } } } }
  liked: generations(filter: { likedByViewer: true }) { edges { node { prompt session { title state } } } }
  toReview: generations(filter: { reviewState: PENDING }) { totalCount } }"""


def repeated(n: int) -> str:
    return "{" + " viewer { role }" * n + "}"


def repeated_deep(n: int) -> str:
    return (
        "{"
        + " viewer { member { id name email role createdAt } organisation { id slug name } role }" * n
        + "}"
    )


def nested_duplicates(k: int, depth: int) -> str:
    inner = "name"
    for _ in range(depth):
        inner = " ".join([f"parent {{ {inner} }}"] * k)
    return f'{{ node(id: "x") {{ ... on Folder {{ {inner} }} }} }}'


def distinct_spreads(n: int) -> str:
    """n fragments on Viewer, each a different alias, all spread in one selection set."""
    spreads = " ".join(f"...F{i}" for i in range(n))
    defs = "".join(f" fragment F{i} on Viewer {{ a{i % 30}: role }}" for i in range(n))
    return "{ viewer { " + spreads + " } }" + defs


def same_spreads(n: int) -> str:
    spreads = " ".join(f"...F{i}" for i in range(n))
    defs = "".join(f" fragment F{i} on Viewer {{ role }}" for i in range(n))
    return "{ viewer { " + spreads + " } }" + defs


def interface_fragments(n: int) -> str:
    """Fragments on the Node interface and on each node type, spread side by side under `nodes`."""
    types = [
        "Asset",
        "Folder",
        "Project",
        "Tag",
        "BrandKit",
        "Session",
        "Generation",
        "Member",
        "Organisation",
    ]
    spreads = " ".join(f"...N{i}" for i in range(n))
    defs = "".join(
        f" fragment N{i} on {types[i % len(types)]} {{ id ... on Node {{ id }} }}"
        if i % 2
        else f" fragment N{i} on Node {{ __typename }}"
        for i in range(n)
    )
    return '{ nodes(ids: ["a", "b"]) { ' + spreads + " } }" + defs


def fragment_fanout(spread_times: int) -> str:
    """One wide fragment spread in many places (expanded fields count every spread)."""
    fragment = f"fragment A on Asset {{ {ASSET_SCALARS} folder {{ id name }} tags {{ id name }} }}"
    body = " ".join(f"a{i}: assets {{ edges {{ node {{ ...A }} }} }}" for i in range(spread_times))
    return "{ " + body + " } " + fragment


def wide_tree(width_repeat: int) -> str:
    """Many distinct fields, no duplicates: every scalar of generations, sessions and assets, nested."""
    generation = (
        f"{GEN_SCALARS} session {{ id title state }} brandKit {{ id name colors }} createdBy {{ id name }}"
    )
    asset = f"{ASSET_SCALARS} generation {{ {generation} contextAssets {{ {ASSET_SCALARS} }} }}"
    parts = [f"a{i}: assets {{ edges {{ node {{ {asset} }} }} }}" for i in range(width_repeat)]
    return "{ " + " ".join(parts) + " }"


def nested_fragments_chain(levels: int) -> str:
    """F_i spreads F_{i+1} twice under different aliases: a fragment 'bomb' cut off by the field bound."""
    defs = []
    for i in range(levels):
        nxt = f"x: parent {{ ...F{i + 1} }} y: parent {{ ...F{i + 1} }}" if i + 1 < levels else "name"
        defs.append(f"fragment F{i} on Folder {{ id {nxt} }}")
    return '{ node(id: "x") { ...F0 } } ' + " ".join(defs)


def duplicates_with_subtrees(k: int) -> str:
    """k identical selections each with a wide sub-selection: pair checks compare whole subtrees."""
    sub = f"edges {{ node {{ {ASSET_SCALARS} folder {{ id name createdAt }} }} }}"
    return "{ " + " ".join([f"assets {{ {sub} }}"] * k) + " }"


def fragments_of_distinct_fields(n: int) -> str:
    """n fragments on Asset of 12 distinct aliased fields each, spread side by side."""
    spreads = " ".join(f"...F{i}" for i in range(n))
    defs = "".join(
        f" fragment F{i} on Asset {{ " + " ".join(f"f{i}_{j}: name" for j in range(12)) + " }"
        for i in range(n)
    )
    return "{ assets { edges { node { " + spreads + " } } } }" + defs


def directives(n: int) -> str:
    """n fields, each under @include and @skip with a variable."""
    fields = " ".join(f"a{i}: viewer @include(if: $v) @skip(if: $w) {{ role }}" for i in range(n))
    return "query($v: Boolean!, $w: Boolean!) { " + fields + " }"


def many_operations(n: int) -> str:
    """n named operations sharing one wide fragment (each operation is validated with it)."""
    ops = " ".join(f"query Q{i} {{ assets {{ edges {{ node {{ ...A }} }} }} }}" for i in range(n))
    return ops + f" fragment A on Asset {{ {ASSET_SCALARS} folder {{ id name }} tags {{ id name }} }}"


def many_variables(n: int) -> str:
    defs = " ".join(f"$v{i}: AssetFilter" for i in range(n))
    fields = " ".join(f"a{i}: assets(filter: $v{i}) {{ totalCount }}" for i in range(n))
    return f"query({defs}) {{ {fields} }}"


def grown(make: Callable[[int], str], start: int, limit: int = 100_000) -> tuple[str, int]:
    """The largest n (doubling, then bisecting) whose document passes the bounds and the token cap."""

    def ok(n: int) -> bool:
        doc = make(n)
        try:
            parsed = parse(doc, max_tokens=MAX_TOKENS)
        except Exception:
            return False
        return measure(parsed).refusal() is None

    lo, hi = start, start
    if not ok(lo):
        return make(lo), lo
    while ok(hi) and hi < limit:
        lo, hi = hi, hi * 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
    return make(lo), lo


def timed(fn: Callable[[], object], runs: int = 7) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def row(name: str, doc: str) -> tuple[str, bool, float]:
    try:
        parsed = parse(doc, max_tokens=MAX_TOKENS)
    except Exception as e:  # over the token cap: refused while parsing
        print(f"{name:48} refused while parsing ({str(e)[:40]})")
        return name, False, 0.0
    bounds_ms, shape = timed(lambda: measure(parsed))
    refusal = shape.refusal()  # type: ignore[attr-defined]
    tokens = len(doc.split())
    if refusal:
        print(f"{name:48} refused by the bounds in {bounds_ms:6.2f} ms   ({refusal[:60]})")
        return name, False, bounds_ms
    ms, errors = timed(lambda: validate_document(schema._schema, parsed, RULES))
    print(
        f"{name:48} accepted  fields {shape.fields:5} pairs {shape.merge_pairs:4} "  # type: ignore[attr-defined]
        f"spreads {shape.fragment_spreads:3} ~{tokens:5} words  bounds {bounds_ms:5.2f} ms  "
        f"validate {ms:7.2f} ms  ({len(errors)} errors)"  # type: ignore[arg-type]
    )
    return name, True, ms + bounds_ms


def main() -> None:
    print(
        f"bounds: {MAX_FIELDS} fields, {MAX_MERGE_PAIRS} merge pairs, "
        f"{MAX_FRAGMENT_SPREADS} fragment spreads; {MAX_TOKENS} tokens\n"
    )
    results = [row("README LibraryPage", LIBRARY_PAGE), row("README filters, folders and Studio", STUDIO)]
    print()
    print("issue's documents:")
    row("1,200 repeated viewer { role }", repeated(1200))
    row("400 distinct fragment spreads", same_spreads(400))
    print()
    print("grown as far as the bounds allow:")
    for name, make, start in [
        ("repeated viewer { role }", repeated, 2),
        ("repeated viewer { 9 fields }", repeated_deep, 2),
        ("k identical assets { 15-field subtree }", duplicates_with_subtrees, 2),
        ("distinct-alias fragment spreads", distinct_spreads, 2),
        ("identical fragment spreads", same_spreads, 2),
        ("fragments on Node and node types", interface_fragments, 2),
        ("one wide fragment spread n times", fragment_fanout, 1),
        ("wide distinct tree x n aliases", wide_tree, 1),
        ("fragment chain spread twice per level", nested_fragments_chain, 2),
        ("fragments of 12 distinct aliased fields", fragments_of_distinct_fields, 2),
        ("fields under @include and @skip", directives, 2),
        ("named operations sharing a fragment", many_operations, 2),
        ("variables, one per aliased field", many_variables, 2),
    ]:
        doc, n = grown(make, start)
        results.append(row(f"{name} (n={n})", doc))
    for depth in (2, 3, 4, 5, 6):
        results.append(row(f"nested duplicates k=2 depth {depth}", nested_duplicates(2, depth)))
    for k, depth in ((3, 3), (4, 2), (20, 1)):
        results.append(row(f"nested duplicates k={k} depth {depth}", nested_duplicates(k, depth)))
    worst = max((r for r in results if r[1]), key=lambda r: r[2])
    print(
        f"\nworst accepted document: {worst[0]}: {worst[2]:.2f} ms (bounds check + validation, median of 7)"
    )


if __name__ == "__main__":
    main()
