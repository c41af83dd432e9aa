"""BlobStore: LocalBlobStore (in tmp_path) and FakeBlobStore alike; and the Clock's one promise.

A blob is made older than it is through `age`: the local store's file times, the fake's
record of when it stored each key. Both keep time by their own clock, so the blobs a test
does not age count as stored now.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from domain.kernel.media import SpooledFile
from domain.kernel.ports import BlobStore
from storage.blobs.local import LocalBlobStore
from storage.clock import SystemClock
from tests.unit.fakes import FakeBlobStore, FakeClock

HOUR = timedelta(hours=1)


@dataclass
class Store:
    blobs: BlobStore
    age: Callable[[str, str, timedelta], None]
    """Make a stored blob look stored that much earlier."""


def _local(root: Path) -> Store:
    store = LocalBlobStore(root)

    def age(area: str, key: str, by: timedelta) -> None:
        then = time.time() - by.total_seconds()
        os.utime(store.path(area, key), (then, then))

    return Store(store, age)


def _fake() -> Store:
    store = FakeBlobStore(FakeClock())

    def age(area: str, key: str, by: timedelta) -> None:
        store.stored_at[(area, key)] -= by

    return Store(store, age)


@pytest.fixture(params=["local", "fake"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    return _local(tmp_path / "blobs") if request.param == "local" else _fake()


def spooled(tmp_path: Path, data: bytes) -> SpooledFile:
    """An upload as the spool leaves it: a file hashed while it streamed in."""
    (tmp_path / "spool").mkdir(exist_ok=True)
    path = tmp_path / "spool" / hashlib.md5(data).hexdigest()
    path.write_bytes(data)
    return SpooledFile(str(path), len(data), hashlib.sha256(data).hexdigest())


def gone_from(file: SpooledFile) -> bool:
    return not Path(file.path).exists()


async def test_bytes_are_stored_once_under_their_sha256_in_their_area(store):
    blob = await store.blobs.put("scratch", b"png bytes")
    assert (blob.key, blob.size) == (hashlib.sha256(b"png bytes").hexdigest(), 9)
    assert await store.blobs.put("scratch", b"png bytes") == blob
    assert await store.blobs.read("scratch", blob.key) == b"png bytes"
    with pytest.raises(FileNotFoundError):
        await store.blobs.read("library", blob.key)  # areas are apart
    with pytest.raises(FileNotFoundError):
        await store.blobs.read("scratch", hashlib.sha256(b"never stored").hexdigest())


async def test_an_unknown_area_is_refused(store):
    with pytest.raises(ValueError):
        await store.blobs.put("elsewhere", b"png")


async def test_an_adopted_file_is_moved_in_under_its_sha256(store, tmp_path):
    file = spooled(tmp_path, b"uploaded bytes")
    blob = await store.blobs.adopt("scratch", file)
    assert (blob.key, blob.size) == (file.sha256, file.size)
    assert await store.blobs.read("scratch", blob.key) == b"uploaded bytes"
    assert gone_from(file)  # moved, not copied
    again = spooled(tmp_path, b"uploaded bytes")  # the same image uploaded twice
    assert await store.blobs.adopt("scratch", again) == blob
    assert gone_from(again)


class TestCopy:
    async def test_copied_blobs_can_be_read_in_the_other_area(self, store):
        a, b = await store.blobs.put("scratch", b"a"), await store.blobs.put("scratch", b"b")
        await store.blobs.copy("scratch", "library", [a.key, b.key, a.key])
        assert [await store.blobs.read("library", k) for k in (a.key, b.key)] == [b"a", b"b"]
        assert await store.blobs.read("scratch", a.key) == b"a"  # still in the first area too

    async def test_copying_a_missing_blob_fails(self, store):
        with pytest.raises(FileNotFoundError):
            await store.blobs.copy("scratch", "library", [hashlib.sha256(b"never").hexdigest()])

    async def test_each_copy_counts_as_stored_now_already_there_or_not(self, store):
        # saving copies before its transaction commits the row: the orphan sweep must give it its grace
        old, again = await store.blobs.put("scratch", b"old"), await store.blobs.put("scratch", b"again")
        await store.blobs.copy("scratch", "library", [again.key])
        store.age("scratch", old.key, 2 * HOUR)
        store.age("library", again.key, 2 * HOUR)
        await store.blobs.copy("scratch", "library", [old.key, again.key])
        assert await store.blobs.stale_keys("library", untouched_for=HOUR, limit=10) == []
        for key in (old.key, again.key):
            assert not await store.blobs.delete("library", key, unless_stored_within=HOUR)


class TestTheOrphanSweepsView:
    async def test_stale_keys_are_those_untouched_for_that_long_in_that_area(self, store):
        blobs = [await store.blobs.put("scratch", bytes([i])) for i in range(4)]
        fresh = await store.blobs.put("library", b"other area")
        for blob in blobs[:3]:
            store.age("scratch", blob.key, 2 * HOUR)
        store.age("library", fresh.key, 2 * HOUR)
        await store.blobs.put("scratch", bytes([0]))  # stored again: its grace starts over
        stale = await store.blobs.stale_keys("scratch", untouched_for=HOUR, limit=10)
        assert sorted(stale) == sorted(b.key for b in blobs[1:3])
        assert len(await store.blobs.stale_keys("scratch", untouched_for=HOUR, limit=1)) == 1
        assert await store.blobs.stale_keys("scratch", untouched_for=3 * HOUR, limit=10) == []

    async def test_stale_keys_come_in_key_order_from_the_key_given_wrapping_around_to_the_first(self, store):
        blobs = [await store.blobs.put("renditions", bytes([i, 7])) for i in range(6)]
        for blob in blobs:
            store.age("renditions", blob.key, 2 * HOUR)
        keys = sorted(b.key for b in blobs)

        async def stale(**given):
            return list(await store.blobs.stale_keys("renditions", untouched_for=HOUR, **given))

        assert await stale(limit=10) == keys
        assert await stale(limit=10, from_key=keys[3]) == keys[3:] + keys[:3]
        assert await stale(limit=2, from_key=keys[3]) == keys[3:5]  # a bounded run starting elsewhere
        assert await stale(limit=3, from_key=keys[5] + "0") == keys[:3]  # past the last: from the first

    async def test_delete_spares_a_blob_stored_within_the_grace_period(self, store):
        blob = await store.blobs.put("scratch", b"png")
        assert not await store.blobs.delete("scratch", blob.key, unless_stored_within=HOUR)
        assert await store.blobs.read("scratch", blob.key) == b"png"
        store.age("scratch", blob.key, 2 * HOUR)
        assert await store.blobs.delete("scratch", blob.key, unless_stored_within=HOUR)
        with pytest.raises(FileNotFoundError):
            await store.blobs.read("scratch", blob.key)
        assert not await store.blobs.delete("scratch", blob.key)  # gone already

    async def test_delete_without_a_grace_period_deletes_at_once(self, store):
        blob = await store.blobs.put("library", b"png")
        assert await store.blobs.delete("library", blob.key)
        assert await store.blobs.stale_keys("library", untouched_for=timedelta(0), limit=10) == []


@pytest.mark.parametrize("clock", [SystemClock(), FakeClock()], ids=["system", "fake"])
def test_the_clock_tells_time_with_its_zone(clock):
    assert clock.now().utcoffset() == timedelta(0)
