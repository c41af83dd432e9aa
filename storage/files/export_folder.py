"""The export directory on the local disk: every write lands whole (temp file, fsync, rename)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from domain.files.model import PreparedFile


class LocalExportFolder:
    """An ExportFolder under `root`; refuses any name that is not a plain file name inside it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
            raise ValueError("not a plain file name")
        return self.root / name

    async def read_json(self, name: str) -> object | None:
        def read() -> object | None:
            try:
                return json.loads(self._path(name).read_text("utf-8"))
            except (OSError, ValueError):
                return None

        return await asyncio.to_thread(read)

    async def exists(self, name: str) -> bool:
        return await asyncio.to_thread(self._path(name).is_file)

    async def sha256_of(self, name: str) -> str | None:
        def digest() -> str | None:
            try:
                return _sha256(self._path(name))
            except (FileNotFoundError, IsADirectoryError):
                return None

        return await asyncio.to_thread(digest)

    async def sha256_of_prepared(self, file: PreparedFile) -> str:
        return await asyncio.to_thread(_sha256, Path(file.location))

    async def write_file(self, name: str, file: PreparedFile) -> None:
        def copy() -> None:
            with open(file.location, "rb") as source:
                self._write(name, lambda target: shutil.copyfileobj(source, target, 1024 * 1024))

        await asyncio.to_thread(copy)

    async def write_json(self, name: str, value: object) -> None:
        data = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True).encode() + b"\n"
        await asyncio.to_thread(self._write, name, lambda target: target.write(data))

    def _write(self, name: str, fill: Callable[[BinaryIO], object]) -> None:
        target = self._path(name)
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                fill(f)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
