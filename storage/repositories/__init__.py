"""Repositories: transactional reads and writes on the unit of work's connection."""

from storage.repositories.directory import SqlMemberRepository, SqlOrganisationRepository, SqlTokenRepository
from storage.repositories.library import SqlIdempotencyRepository, SqlLibraryRepository
from storage.repositories.studio import SqlGenerationRepository, SqlLikeRepository, SqlSessionRepository
from storage.repositories.uploads import SqlUploadRepository

__all__ = [
    "SqlGenerationRepository",
    "SqlIdempotencyRepository",
    "SqlLibraryRepository",
    "SqlLikeRepository",
    "SqlMemberRepository",
    "SqlOrganisationRepository",
    "SqlSessionRepository",
    "SqlTokenRepository",
    "SqlUploadRepository",
]
