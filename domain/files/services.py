"""The files room's use cases with their dependencies bound once: `files.open(access, ref)`."""

from __future__ import annotations

from dataclasses import dataclass

from domain.files import serving
from domain.files.ports import FilePreparer
from domain.kernel.ports import Clock
from domain.unit_of_work import Reads


@dataclass(frozen=True, slots=True)
class Files:
    """Serving originals of assets and generations, over the read ports and a preparer."""

    reads: Reads
    clock: Clock
    preparer: FilePreparer

    open = serving.open_file
