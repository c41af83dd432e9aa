"""The files room's use cases with their dependencies bound once: `files.open(...)`, `files.export(...)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from domain.files import exporting, serving, upkeep
from domain.files.exporting import ExportReport, ExportScope
from domain.files.ports import FilePreparer
from domain.kernel.ports import Clock
from domain.unit_of_work import Reads, UnitOfWork

__all__ = ["ExportReport", "ExportScope", "Files"]


@dataclass(frozen=True, slots=True)
class Files:
    """Serving originals of assets and generations, exporting assets: over the read ports and a preparer."""

    uow: Callable[[], UnitOfWork]
    """A fresh unit of work (the export finds its organisation by slug in one)."""
    reads: Reads
    clock: Clock
    preparer: FilePreparer

    open = serving.open_file
    export = exporting.export_assets
    sweep_copies = upkeep.sweep_served_copies
