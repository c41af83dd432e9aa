"""ExifTool as the outside reader of what downloads carry (`exiftool -j -G1`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

EXIFTOOL = shutil.which("exiftool")


def read_tags(data: bytes, suffix: str) -> dict[str, Any]:
    """Every tag ExifTool finds in the file, by `Group:Name`; ExifTool's own and file-system tags left out."""
    assert EXIFTOOL, "exiftool is not installed: apt-get install libimage-exiftool-perl (.ci/run does)"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"file{suffix}"
        path.write_bytes(data)
        out = subprocess.run([EXIFTOOL, "-j", "-G1", "-a", "-u", str(path)], capture_output=True, check=True)
    (tags,) = json.loads(out.stdout)
    return {
        k: v for k, v in tags.items() if not k.startswith(("System:", "ExifTool:", "SourceFile", "File:"))
    }
