"""The outside world the files room needs: something that turns a stored original into a file to send."""

from __future__ import annotations

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
