"""Who is calling: the one bearer-token check of every route (/graphql, /uploads, and those to come)."""

from __future__ import annotations

from starlette.requests import HTTPConnection

from domain.kernel.access import Actor
from domain.kernel.errors import Unauthenticated
from graph.context import Ports

REFUSED = "missing, unknown, revoked or expired token; send `Authorization: Bearer <token>`"


def bearer_token(connection: HTTPConnection) -> str | None:
    """The token of an `Authorization: Bearer <token>` header."""
    scheme, _, token = connection.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def actor_of(connection: HTTPConnection, ports: Ports) -> Actor:
    """The actor the request's bearer token stands for; Unauthenticated (HTTP 401) when there is none."""
    actor = await ports.services.organisations.authenticate(secret=bearer_token(connection))
    if actor is None:
        raise Unauthenticated(REFUSED)
    return actor
