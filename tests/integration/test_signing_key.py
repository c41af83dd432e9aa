"""The cursor signing key: from ATELIER_SECRET_KEY, or made once per data folder so workers and restarts agree."""

from __future__ import annotations

import stat
from concurrent.futures import ThreadPoolExecutor

from graph.relay.ids import Cursors
from graph.server.settings import Settings


def test_without_a_configured_key_one_is_made_once_per_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("ATELIER_SECRET_KEY", raising=False)
    first = Settings(data_dir=tmp_path).signing_key()
    assert len(first) == 43 and first == (tmp_path / "secret_key").read_bytes()  # 256 bits, URL-safe base64
    assert Settings(data_dir=tmp_path).signing_key() == first  # the next start, or another worker
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert Settings(data_dir=tmp_path / "other").signing_key() != first
    cursor = Cursors(first).of("Query.tags").encode(("a", 1))
    assert Cursors(Settings(data_dir=tmp_path).signing_key()).of("Query.tags").decode(cursor) == ("a", 1)


def test_workers_starting_at_once_agree_on_one_key(tmp_path, monkeypatch):
    monkeypatch.delenv("ATELIER_SECRET_KEY", raising=False)
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: Settings(data_dir=tmp_path).signing_key(), range(32)))
    assert keys == {(tmp_path / "secret_key").read_bytes()}  # one key, the one kept in the file
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary file left


def test_a_configured_key_is_used_and_no_file_is_made(tmp_path, monkeypatch):
    monkeypatch.setenv("ATELIER_SECRET_KEY", "a configured key")
    assert Settings(data_dir=tmp_path).signing_key() == b"a configured key"
    assert not (tmp_path / "secret_key").exists()
