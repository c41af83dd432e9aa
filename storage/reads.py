"""Read ports over SQL: each method is one statement on a short-lived connection.

A connection per call (rather than one per request) lets graphql-core run sibling
DataLoader batches concurrently without sharing an AsyncSession between tasks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.unit_of_work import Reads
from storage.events.log import SqlEventLogReads
from storage.library.placements import SqlPlacementReads
from storage.library.reads import SqlLibraryReads
from storage.organisations.reads import SqlDirectoryReads
from storage.processing.reads import SqlProcessingReads
from storage.search.reads import SqlAssetSearchReads
from storage.search.similar import SqlSimilarAssetReads
from storage.sql.database import is_sqlite
from storage.studio.reads import SqlStudioReads


@dataclass(frozen=True, slots=True)
class SqlReads:
    """All read ports over one engine."""

    directory: SqlDirectoryReads
    library: SqlLibraryReads
    studio: SqlStudioReads
    placements: SqlPlacementReads
    search: SqlAssetSearchReads
    processing: SqlProcessingReads
    similar: SqlSimilarAssetReads
    events: SqlEventLogReads

    @classmethod
    def over(cls, engine: AsyncEngine) -> SqlReads:
        # Each read is one statement: without a transaction around it PostgreSQL saves the
        # BEGIN and ROLLBACK round trips (SQLite's engine skips them already, see storage.database).
        if not is_sqlite(engine):
            engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        return cls(
            SqlDirectoryReads(engine),
            SqlLibraryReads(engine),
            SqlStudioReads(engine),
            SqlPlacementReads(engine),
            SqlAssetSearchReads(engine),
            SqlProcessingReads(engine),
            SqlSimilarAssetReads(engine),
            SqlEventLogReads(engine),
        )


if TYPE_CHECKING:

    def _implements_port(reads: SqlReads) -> Reads:  # mypy proves the adapters fit the ports
        return reads
