"""The outside world the files room needs: something that turns a stored original into a file to send."""

from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from domain.files.model import Original, PreparedFile


class FilePreparer(Protocol):
    """Makes a stored original fit to leave the server, without re-encoding its pixels."""

    async def prepare(self, original: Original) -> PreparedFile:
        """The original with its personal metadata (EXIF, XMP, IPTC, text chunks) removed and, when it
        carries provenance, an XMP packet with it; made once and kept, so a second call only looks.

        Raises FileNotFoundError when the blob is not in the store.
        """
        ...

    async def stored(self, area: str, blob_key: str) -> PreparedFile:
        """A stored blob as it is, with nothing to remove or add (a rendition: WebP made without
        metadata); its tag is the blob key, which names its bytes.

        Raises FileNotFoundError when the blob is not in the store.
        """
        ...

    async def sweep(self, *, untouched_for: timedelta, limit: int) -> int:
        """Delete at most `limit` kept files not served for that long; the next download makes them again.
        Returns how many were deleted."""
        ...


class ExportFolder(Protocol):
    """The directory an export writes into; names are checked file names, never paths."""

    async def read_json(self, name: str) -> object | None:
        """The JSON document an earlier run wrote under that name; None when missing or unreadable."""
        ...

    async def exists(self, name: str) -> bool:
        """Whether a file of that name is there."""
        ...

    async def sha256_of(self, name: str) -> str | None:
        """The sha256 (hex) of the file of that name; None when there is no such file."""
        ...

    async def sha256_of_prepared(self, file: PreparedFile) -> str:
        """The sha256 (hex) of a prepared file's bytes."""
        ...

    async def write_file(self, name: str, file: PreparedFile) -> None:
        """Copy a prepared file in under that name, replacing what was there only once the copy is whole."""
        ...

    async def write_json(self, name: str, value: object) -> None:
        """Write a JSON document under that name, replacing what was there only once it is whole."""
        ...
