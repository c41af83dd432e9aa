"""`atelier worker --drain` processes what is due in a process of its own, then exits."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from storage.blobs.local import LocalBlobStore
from tests.builders import make_tenant
from tests.images import png
from tests.integration.processing.test_images import asset_with_image, renditions, state_of

ATELIER = str(Path(sys.executable).with_name("atelier"))


async def test_the_worker_command_drains_the_queue(engine, database_url, tmp_path):
    blobs = LocalBlobStore(tmp_path / "blobs")  # the command's store: <data dir>/blobs
    tenant = await make_tenant(engine)
    asset = await asset_with_image(tenant, blobs, png(300, 300, color=(0, 90, 200)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env |= {"ATELIER_DATA_DIR": str(tmp_path), "ATELIER_DATABASE_URL": database_url}
    command = await asyncio.create_subprocess_exec(
        ATELIER, "worker", "--drain", "--processes", "1", env=env, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(command.communicate(), timeout=120)
    assert command.returncode == 0, err
    assert b"Processed 1 job(s)." in err
    assert await state_of(engine, tenant.org_id, "asset", asset) == ("done", 1, None)
    assert [r.size for r in await renditions(engine, tenant.org_id, "asset", asset)] == [256, 1024]
