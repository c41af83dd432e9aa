"""Events of the library: saved assets, folders, projects, tags."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.events import DomainEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetSaved(DomainEvent):
    """A generation was saved to the library as this asset."""

    type = "asset.saved"
    subject_type = "Asset"
    generation_id: int
    session_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetUploaded(DomainEvent):
    """An upload was added to the library as this asset; `deduplicated` when the library held the same
    bytes already, so the upload was used up on that asset and nothing new was stored."""

    type = "asset.uploaded"
    subject_type = "Asset"
    upload_id: int
    deduplicated: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderCreated(DomainEvent):
    """A folder was created."""

    type = "folder.created"
    subject_type = "Folder"
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectCreated(DomainEvent):
    """A project (campaign) was created."""

    type = "project.created"
    subject_type = "Project"
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TagCreated(DomainEvent):
    """A tag was created (by name, or on the fly while saving)."""

    type = "tag.created"
    subject_type = "Tag"
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderRenamed(DomainEvent):
    """A folder was renamed."""

    type = "folder.renamed"
    subject_type = "Folder"
    name: str
    previous_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderMoved(DomainEvent):
    """A folder moved under another parent (None: the root), with all it holds."""

    type = "folder.moved"
    subject_type = "Folder"
    parent_id: int | None
    previous_parent_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FolderDeleted(DomainEvent):
    """A folder was deleted; its subfolders and assets moved to `content_moved_to` (None: the root)."""

    type = "folder.deleted"
    subject_type = "Folder"
    name: str
    content_moved_to: int | None
    folders_moved: int
    assets_moved: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectUpdated(DomainEvent):
    """A project's name or description changed; `fields` names which."""

    type = "project.updated"
    subject_type = "Project"
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectArchived(DomainEvent):
    """A project was archived: it takes no more assets until unarchived."""

    type = "project.archived"
    subject_type = "Project"


@dataclass(frozen=True, slots=True, kw_only=True)
class ProjectUnarchived(DomainEvent):
    """An archived project was made active again."""

    type = "project.unarchived"
    subject_type = "Project"


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetsLinkedToProject(DomainEvent):
    """Assets were linked to a project; `asset_ids` are those newly linked."""

    type = "project.linked"
    subject_type = "Project"
    asset_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetsUnlinkedFromProject(DomainEvent):
    """Assets were unlinked from a project; `asset_ids` are those that were linked."""

    type = "project.unlinked"
    subject_type = "Project"
    asset_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class TagRenamed(DomainEvent):
    """A tag was renamed."""

    type = "tag.renamed"
    subject_type = "Tag"
    name: str
    previous_name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TagsMerged(DomainEvent):
    """The source tag's links moved to this tag (the subject), and the source was deleted."""

    type = "tag.merged"
    subject_type = "Tag"
    source_id: int
    source_name: str
    assets_moved: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TagDeleted(DomainEvent):
    """A tag was deleted with its links to assets."""

    type = "tag.deleted"
    subject_type = "Tag"
    name: str
    assets_unlinked: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetUpdated(DomainEvent):
    """An asset's name, description, alt text or folder changed; `fields` names which."""

    type = "asset.updated"
    subject_type = "Asset"
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetsFavourited(DomainEvent):
    """A member (the subject) favourited assets; `asset_ids` are those newly favourited."""

    type = "asset.favourited"
    subject_type = "Member"
    asset_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetsUnfavourited(DomainEvent):
    """A member (the subject) unfavourited assets; `asset_ids` are those that were favourites."""

    type = "asset.unfavourited"
    subject_type = "Member"
    asset_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRated(DomainEvent):
    """An asset's rating changed (0: not rated)."""

    type = "asset.rated"
    subject_type = "Asset"
    rating: int
    previous_rating: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetTrashed(DomainEvent):
    """An asset moved to the trash; `placements_removed` counts the placements a forced trash removed."""

    type = "asset.trashed"
    subject_type = "Asset"
    forced: bool
    placements_removed: int


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetRestored(DomainEvent):
    """An asset came back from the trash, into the folder it is in."""

    type = "asset.restored"
    subject_type = "Asset"


@dataclass(frozen=True, slots=True, kw_only=True)
class AssetPurged(DomainEvent):
    """A trashed asset was deleted for good, with its links; `byte_size` of storage was freed.
    `automatic`: by the retention purge (no actor), not by `purgeAssets`."""

    type = "asset.purged"
    subject_type = "Asset"
    byte_size: int
    automatic: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementProposed(DomainEvent):
    """An asset was proposed for a target (a post, page or campaign)."""

    type = "placement.proposed"
    subject_type = "Placement"
    asset_id: int
    kind: str
    target_ref: str
    project_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementApproved(DomainEvent):
    """A proposed placement was approved: the asset is attached deliberately."""

    type = "placement.approved"
    subject_type = "Placement"
    asset_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementRemoved(DomainEvent):
    """A placement was removed; `reason` is `removed` (by hand) or `asset_trashed` (a forced trash)."""

    type = "placement.removed"
    subject_type = "Placement"
    asset_id: int
    reason: str
