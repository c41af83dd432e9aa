"""Events of the Studio: sessions, generations, likes, reviews, uploads, expiry."""

from __future__ import annotations

from dataclasses import dataclass

from domain.kernel.events import DomainEvent
from domain.studio.model import Concern


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionCreated(DomainEvent):
    """A Studio session was opened."""

    type = "session.created"
    subject_type = "Session"
    title: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionUpdated(DomainEvent):
    """A session's settings changed; `fields` names which."""

    type = "session.updated"
    subject_type = "Session"
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SessionClosed(DomainEvent):
    """A session was closed: it takes no new generations, and its unkept ones start to expire."""

    type = "session.closed"
    subject_type = "Session"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationCreated(DomainEvent):
    """A provider made an image in a session."""

    type = "generation.created"
    subject_type = "Generation"
    session_id: int
    provider: str


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationImported(DomainEvent):
    """An uploaded image made elsewhere entered a session."""

    type = "generation.imported"
    subject_type = "Generation"
    session_id: int
    upload_id: int


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationLiked(DomainEvent):
    """The actor liked a generation."""

    type = "generation.liked"
    subject_type = "Generation"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationUnliked(DomainEvent):
    """The actor took a like back."""

    type = "generation.unliked"
    subject_type = "Generation"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationApproved(DomainEvent):
    """A reviewer approved a generation."""

    type = "generation.approved"
    subject_type = "Generation"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationRejected(DomainEvent):
    """A reviewer rejected a generation; it never enters the library."""

    type = "generation.rejected"
    subject_type = "Generation"


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationEscalated(DomainEvent):
    """A pending generation was put before the reviewers, with an optional concern."""

    type = "generation.escalated"
    subject_type = "Generation"
    concern: Concern | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GenerationExpired(DomainEvent):
    """The retention sweep deleted an unkept generation."""

    type = "generation.expired"
    subject_type = "Generation"


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadReceived(DomainEvent):
    """An image file was received for import."""

    type = "upload.received"
    subject_type = "Upload"
    byte_size: int
    mime_type: str


@dataclass(frozen=True, slots=True, kw_only=True)
class UploadExpired(DomainEvent):
    """An upload never imported within its day was swept."""

    type = "upload.expired"
    subject_type = "Upload"
