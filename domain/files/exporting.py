"""`atelier export`: a folder's, project's or tag's assets written to a directory, with their provenance.

Each asset is its served original (personal data out, XMP provenance in, as a download),
a JSON sidecar beside it (`<file>.json`) with everything the library knows of how it was
made (placements included), and one `manifest.json` for the run. A second run into the same
directory skips the files whose sha256 already matches and rewrites the others; names stay
those of the earlier run's manifest, so a new asset called like an old one never takes the
old one's file. Files an earlier run wrote that this run no longer writes (the asset left the
scope, was renamed or purged) are listed as `stale`, never deleted: they are the user's now.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.files.model import Original, XmpProvenance
from domain.files.names import file_name
from domain.files.ports import ExportFolder
from domain.kernel.errors import InvalidInput, NotFound
from domain.kernel.pagination import MAX_PAGE_SIZE, PageRequest
from domain.library.filters import AssetFilter
from domain.library.model import Asset, name_key
from domain.search.model import AssetQuery

if TYPE_CHECKING:
    from domain.files.services import Files

MANIFEST = "manifest.json"
FORMAT = "atelier-export/1"


@dataclass(frozen=True, slots=True)
class ExportScope:
    """Which assets: those of one folder (not its subfolders), one project or one tag."""

    folder_id: int | None = None
    project_id: int | None = None
    tag_name: str | None = None

    def __post_init__(self) -> None:
        if sum(x is not None for x in (self.folder_id, self.project_id, self.tag_name)) != 1:
            raise InvalidInput("export one folder, one project or one tag", field="scope")


@dataclass(frozen=True, slots=True)
class ExportReport:
    """What a run did: files written, files already there with the right bytes, assets in all, and
    the ids of assets left out because their image is missing from the store."""

    written: int
    skipped: int
    total: int
    missing: tuple[int, ...] = ()
    stale: tuple[str, ...] = ()
    """Files of earlier runs still in the directory that this run did not write: left as they are."""


async def export_assets(
    files: Files,
    *,
    org_slug: str,
    scope: ExportScope,
    folder: ExportFolder,
    on_start: Callable[[int], None] = lambda total: None,
    on_progress: Callable[[int], None] = lambda done: None,
) -> ExportReport:
    """Write the scope's assets (newest first, trashed ones left out) into `folder`; see the module."""
    async with files.uow().reading() as uow:
        org = await uow.organisations.get_by_slug(org_slug)
    if org is None:
        raise NotFound("no organisation has this slug", field="org")
    asset_filter = await _filter(files, org.id, scope)
    query = AssetQuery(asset_filter)  # newest first: the order the manifest and resumption expect
    on_start(await files.reads.search.count(org.id, query))
    earlier = await folder.read_json(MANIFEST)
    names = _Names(earlier)
    entries: list[dict[str, Any]] = []
    missing: list[int] = []
    claimed: set[str] = set()  # a missing asset's earlier file is no stale one: the asset is in scope
    written = skipped = 0
    after = None
    while True:
        page = await files.reads.search.page(org.id, query, PageRequest(MAX_PAGE_SIZE, after))
        sidecars = await _sidecars(files, org.id, page.items)
        for asset in page.items:
            name = names.claim(asset)
            claimed.add(name)
            try:
                prepared = await files.preparer.prepare(_original(asset, sidecars[asset.id]["provenance"]))
            except FileNotFoundError:  # one lost image must not stop the export of the others
                missing.append(asset.id)
                on_progress(1)
                continue
            sha256 = await folder.sha256_of_prepared(prepared)
            if await folder.sha256_of(name) == sha256:
                skipped += 1
            else:
                await folder.write_file(name, prepared)
                written += 1
            sidecar = {**sidecars[asset.id], "file": name, "sha256": sha256}
            await folder.write_json(f"{name}.json", sidecar)
            entries.append({"assetId": asset.id, "file": name, "sidecar": f"{name}.json", "sha256": sha256})
            on_progress(1)
        if not page.has_next:
            break
        after = page.keys[-1]
    stale = await _stale(folder, earlier, current=claimed)
    manifest = {
        "format": FORMAT,
        "organisation": org.slug,
        "scope": {"folderId": scope.folder_id, "projectId": scope.project_id, "tag": scope.tag_name},
        "exportedAt": _iso(files.clock.now()),
        "assets": entries,
        "missing": missing,
        "stale": stale,
    }
    await folder.write_json(MANIFEST, manifest)
    return ExportReport(
        written, skipped, len(entries) + len(missing), tuple(missing), tuple(e["file"] for e in stale)
    )


def _earlier_entries(earlier: object | None) -> list[Mapping[str, Any]]:
    """The files an earlier run's manifest names: those it wrote, and those it already found stale."""
    if not isinstance(earlier, Mapping):
        return []
    listed = [e for key in ("assets", "stale") if isinstance(earlier.get(key), list) for e in earlier[key]]
    return [
        e
        for e in listed
        if isinstance(e, Mapping) and isinstance(e.get("assetId"), int) and isinstance(e.get("file"), str)
    ]


async def _stale(folder: ExportFolder, earlier: object | None, *, current: set[str]) -> list[dict[str, Any]]:
    """The earlier runs' files this run did not write and that are still there, each once, by name.

    Only names a run of ours could have written are looked at (a manifest edited by hand names
    no path outside the directory)."""
    stale: dict[str, dict[str, Any]] = {}
    for entry in _earlier_entries(earlier):
        name = entry["file"]
        if name in current or name in stale or name != file_name(name, _mime_of(name), fallback="asset"):
            continue
        if await folder.exists(name):
            stale[name] = {"assetId": entry["assetId"], "file": name, "sidecar": f"{name}.json"}
    return list(stale.values())


async def _filter(files: Files, org_id: int, scope: ExportScope) -> AssetFilter:
    library = files.reads.library
    if scope.folder_id is not None:
        if not await library.folders_by_ids(org_id, [scope.folder_id]):
            raise NotFound("no folder has this id", field="folder")
        return AssetFilter(folder_id=scope.folder_id)
    if scope.project_id is not None:
        if not await library.projects_by_ids(org_id, [scope.project_id]):
            raise NotFound("no project has this id", field="project")
        return AssetFilter(project_id=scope.project_id)
    wanted, after = name_key(scope.tag_name or ""), None
    while True:  # tags are few; their list pages by name key
        page = await library.tags(org_id, PageRequest(MAX_PAGE_SIZE, after))
        for tag in page.items:
            if name_key(tag.name) == wanted:
                return AssetFilter(tag_id=tag.id)
        if not page.has_next:
            raise NotFound("no tag has this name", field="tag")
        after = page.keys[-1]


class _Names:
    """Unique, safe file names; an asset keeps the name an earlier run gave it, and nobody else takes it."""

    def __init__(self, earlier: object | None) -> None:
        self._earlier: dict[int, str] = {}
        for entry in _earlier_entries(earlier):  # a stale file keeps its name too: it is never overwritten
            file = entry["file"]
            if file == file_name(file, _mime_of(file), fallback="asset"):
                self._earlier.setdefault(entry["assetId"], file)
        self._reserved = {name.casefold() for name in self._earlier.values()}
        self._taken: set[str] = set()

    def claim(self, asset: Asset) -> str:
        base = file_name(asset.name, asset.mime_type, fallback=f"asset-{asset.id}")
        kept = self._earlier.get(asset.id)
        if kept is not None and _variant_of(kept, base) and kept.casefold() not in self._taken:
            self._taken.add(kept.casefold())
            return kept
        stem, dot, extension = base.rpartition(".")
        for n in range(1, 1_000_000):
            name = base if n == 1 else f"{stem}-{n}{dot}{extension}"
            if name.casefold() not in self._taken and name.casefold() not in self._reserved:
                self._taken.add(name.casefold())
                return name
        raise AssertionError("a million assets of one name")


def _variant_of(name: str, base: str) -> bool:
    """Whether `name` is `base` or `base` with a `-n` counter."""
    stem, _, extension = base.rpartition(".")
    n_stem, _, n_extension = name.rpartition(".")
    if n_extension != extension:
        return False
    counter = n_stem.removeprefix(stem)
    return counter == "" or (n_stem.startswith(stem) and counter[:1] == "-" and counter[1:].isdigit())


def _mime_of(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith((".jpg", ".jpeg", ".jpe")):
        return "image/jpeg"
    return "image/webp" if lowered.endswith(".webp") else "image/png"


def _original(asset: Asset, provenance: Mapping[str, Any] | None) -> Original:
    xmp = None
    if asset.ai_generated and provenance is not None:
        xmp = XmpProvenance.of(
            provider=provenance["provider"],
            model=provenance["model"],
            prompt=provenance["prompt"],
            negative_prompt=provenance["negativePrompt"],
            writer=provenance["createdBy"] or "",
        )
    return Original("library", asset.blob_key, asset.mime_type, xmp)


async def _sidecars(files: Files, org_id: int, assets: Sequence[Asset]) -> dict[int, dict[str, Any]]:
    """Each asset's sidecar, for a page of assets in a fixed number of reads."""
    library, studio = files.reads.library, files.reads.studio
    ids = [a.id for a in assets]
    tags = await library.tags_of_assets(org_id, ids)
    projects = await library.projects_of_assets(org_id, ids)
    placements = await files.reads.placements.placements_of_assets(org_id, ids)
    placement_projects = await library.projects_by_ids(
        org_id, sorted({p.project_id for ps in placements.values() for p in ps if p.project_id})
    )
    paths = await library.folder_paths(org_id, sorted({a.folder_id for a in assets if a.folder_id}))
    provenances = [a.provenance for a in assets if a.provenance is not None]
    sessions = await studio.sessions_by_ids(
        org_id, sorted({p.session_id for p in provenances if p.session_id})
    )
    member_ids = {p.created_by_id for p in provenances} | {p.reviewed_by_id for p in provenances}
    members = await files.reads.directory.members_by_ids(org_id, sorted(m for m in member_ids if m))

    def member(member_id: int | None) -> str | None:
        found = members.get(member_id) if member_id else None
        return found.name if found else None

    def project_name(project_id: int | None) -> str | None:
        found = placement_projects.get(project_id) if project_id else None
        return found.name if found else None

    out = {}
    for a in assets:
        p = a.provenance
        session = sessions.get(p.session_id) if p and p.session_id else None
        out[a.id] = {
            "assetId": a.id,
            "name": a.name,
            "description": a.description,
            "altText": a.alt_text,
            "mimeType": a.mime_type,
            "byteSize": a.byte_size,
            "width": a.width,
            "height": a.height,
            "aiGenerated": a.ai_generated,
            "rating": a.rating,
            "createdAt": _iso(a.created_at),
            "updatedAt": _iso(a.updated_at),
            "folder": [f.name for f in paths.get(a.folder_id, ())] if a.folder_id else [],
            "tags": [t.name for t in tags.get(a.id, ())],
            "projects": [pr.name for pr in projects.get(a.id, ())],
            "placements": [
                {
                    "kind": pl.kind.value,
                    "targetRef": pl.target_ref,
                    "state": pl.state.value,
                    "project": project_name(pl.project_id),
                    "scheduledAt": _iso(pl.scheduled_at),
                }
                for pl in placements.get(a.id, ())
            ],
            "provenance": None
            if p is None
            else {
                "generationId": p.generation_id,
                "sessionId": p.session_id,
                "session": session.title if session else None,
                "prompt": p.prompt,
                "negativePrompt": p.negative_prompt,
                "platform": p.platform.value if p.platform else None,
                "aspectRatio": p.aspect_ratio.value if p.aspect_ratio else None,
                "brandKitId": p.brand_kit_id,
                "provider": p.provider,
                "model": p.model,
                "seed": None if p.seed is None else str(p.seed),  # seeds outgrow JSON's exact integers
                "creditsUsed": p.credits_used,
                "createdBy": member(p.created_by_id),
                "review": {
                    "reviewedBy": member(p.reviewed_by_id),
                    "reviewedAt": _iso(p.reviewed_at),
                    "rightsNotes": p.rights_notes,
                    "source": p.source,
                    "intendedPlacement": p.intended_placement,
                },
            },
        }
    return out


def _iso(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()
