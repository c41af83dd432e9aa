"""The data version: one read when no event waits for its cursor, numbering rounds when some do,
and no version at all (nothing cached) when they still wait after the rounds."""

from __future__ import annotations

from datetime import timedelta

from domain.events import services
from domain.events.model import DataVersion
from domain.events.services import Events
from domain.kernel.access import Actor, Role
from tests.unit.fakes import FakeClock


class Log:
    """Events waiting for cursors, numbered `batch` at a time, as the PostgreSQL sequencer does."""

    def __init__(self, cursor: int, waiting: int, batch: int) -> None:
        self.cursor, self.waiting, self.batch = cursor, waiting, batch
        self.reads = self.rounds = 0

    async def version(self, org_id: int) -> DataVersion:
        self.reads += 1
        return DataVersion(cursor=self.cursor, complete=self.waiting == 0)

    async def sequence(self, *, wait: bool = False) -> int:
        assert wait
        self.rounds += 1
        numbered = min(self.batch, self.waiting)
        self.waiting -= numbered
        self.cursor += numbered
        return numbered


def events(log: Log) -> Events:
    return Events(log, None, log, FakeClock(), timedelta(days=1))  # type: ignore[arg-type]


VIEWER = Actor(org_id=1, member_id=1, role=Role.VIEWER)


async def test_nothing_waiting_is_one_read_and_no_numbering():
    log = Log(cursor=41, waiting=0, batch=10)
    assert await events(log).data_version(VIEWER) == 41
    assert (log.reads, log.rounds) == (1, 0)


async def test_waiting_events_are_numbered_first_and_the_version_read_again():
    log = Log(cursor=41, waiting=3, batch=10)
    assert await events(log).data_version(VIEWER) == 44
    assert (log.reads, log.rounds) == (2, 1)


async def test_a_backlog_takes_rounds_up_to_the_bound():
    log = Log(cursor=0, waiting=25, batch=10)
    assert await events(log).data_version(VIEWER) == 25
    assert log.rounds == 3 == services.SEQUENCING_ROUNDS


async def test_a_backlog_past_the_rounds_gives_no_version_so_nothing_is_cached():
    log = Log(cursor=0, waiting=31, batch=10)
    assert await events(log).data_version(VIEWER) is None
    assert log.rounds == services.SEQUENCING_ROUNDS
