"""A webhook (a partner's URL subscribed to event types) and its deliveries, with their rules.

A webhook keeps no secret: it keeps a random salt, and its signing secret is derived from
the server's key and that salt when a delivery is signed (domain.webhooks.signing), so a
copy of the database alone signs nothing.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from domain.kernel.errors import InvalidInput, InvalidState, LimitExceeded
from domain.kernel.events import catalogue
from domain.kernel.pagination import NEWEST_FIRST, Key, PageRequest
from domain.kernel.text import clean_text

MAX_URL = 2_000
"""A URL longer than browsers take is a mistake or a probe."""
MAX_EVENT_TYPES = 64
MAX_DESCRIPTION = 500
MAX_WEBHOOKS_PER_ORGANISATION = 20
"""Bounds `webhooks` (an unpaged list) and the deliveries one event can make in an organisation."""


class WebhookState(StrEnum):
    """ENABLED webhooks get deliveries; DISABLED ones (by an admin, or after a day of failures) do not."""

    ENABLED = "enabled"
    DISABLED = "disabled"


class DeliveryStatus(StrEnum):
    """PENDING until the first attempt, DELIVERED once answered 2xx, FAILED while retrying."""

    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class DeliveryError(StrEnum):
    """Why an attempt failed: a code, never the receiver's words."""

    BLOCKED_ADDRESS = "BLOCKED_ADDRESS"
    """The host resolves to a loopback, private, link-local, reserved or metadata address."""
    DNS_FAILED = "DNS_FAILED"
    CONNECTION_FAILED = "CONNECTION_FAILED"
    TIMEOUT = "TIMEOUT"
    HTTP_STATUS = "HTTP_STATUS"
    """The receiver answered, but not 2xx (a redirect included: redirects are not followed)."""
    INTERNAL = "INTERNAL"


def clean_url(value: str) -> str:
    """An absolute http(s) URL with a host and no credentials in it, else InvalidInput."""
    url = clean_text(value, field="url", max_length=MAX_URL, required=True, single_line=True)
    if any(c.isspace() for c in url):
        raise InvalidInput("a URL has no spaces", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port  # ValueError when it is out of range or not a number
    except ValueError:
        raise InvalidInput("not a valid URL", field="url") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InvalidInput("the URL must start with https:// or http://", field="url")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise InvalidInput("the URL must not hold a user name or password", field="url")
    if not parts.hostname:
        raise InvalidInput("the URL must name a host", field="url")
    if port == 0:
        raise InvalidInput("not a valid port", field="url")
    if parts.fragment:
        raise InvalidInput("the URL must not have a #fragment", field="url")
    return url


def is_blocked_address(address: str) -> bool:
    """Whether an IP address is one a webhook must not reach: this server's own networks,
    link-local (cloud metadata at 169.254.169.254 included), reserved, multicast or unspecified."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone id is not part of the address
    if isinstance(ip, ipaddress.IPv6Address):
        # an IPv4 address carried inside (mapped, 6to4, Teredo's server and client) is checked too
        inner = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
        if ip.is_site_local or any(v4 is not None and is_blocked_address(str(v4)) for v4 in inner):
            return True
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    if ip in _METADATA or any(ip in net for net in _SPECIAL):
        return True
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


_METADATA = {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
_SPECIAL = (ipaddress.ip_network("192.0.0.0/24"),)  # IETF protocol assignments: is_global misses some


def clean_event_types(values: Iterable[str]) -> tuple[str, ...]:
    """Known event types (`asset.saved`, ...), at least one, each once, sorted; else a domain error."""
    given = list(values)
    if len(given) > MAX_EVENT_TYPES:
        raise LimitExceeded(f"at most {MAX_EVENT_TYPES} event types", field="eventTypes")
    known = {type_name for type_name, _ in catalogue()}
    for i, value in enumerate(given):
        if value not in known:
            raise InvalidInput(
                "not a known event type (see the event catalogue, e.g. asset.saved)",
                field=f"eventTypes[{i}]",
            )
    if not given:
        raise InvalidInput("name at least one event type", field="eventTypes")
    return tuple(sorted(set(given)))


def clean_description(value: str) -> str:
    """The description trimmed and bounded (may be empty)."""
    return clean_text(value, field="description", max_length=MAX_DESCRIPTION)


def signing_salts(
    current: str, previous: str | None, expires: datetime | None, now: datetime
) -> tuple[str, ...]:
    """The current salt, then the previous one while its grace period lasts."""
    if previous and expires and now < expires:
        return (current, previous)
    return (current,)


@dataclass(frozen=True, slots=True)
class Webhook:
    """A partner's URL subscribed to some event types of one organisation."""

    id: int
    org_id: int
    url: str
    event_types: tuple[str, ...]
    description: str
    state: WebhookState
    disabled_reason: str | None
    secret_salt: str
    previous_secret_salt: str | None
    previous_secret_expires_at: datetime | None
    failing_since: datetime | None
    created_at: datetime
    updated_at: datetime

    @property
    def enabled(self) -> bool:
        """Whether it gets deliveries."""
        return self.state is WebhookState.ENABLED

    def wants(self, event_type: str) -> bool:
        """Whether it is subscribed to this event type."""
        return event_type in self.event_types

    def salts(self, now: datetime) -> tuple[str, ...]:
        """The salts of the secrets that sign now: the current one, and the previous one in its grace."""
        return signing_salts(
            self.secret_salt, self.previous_secret_salt, self.previous_secret_expires_at, now
        )

    def rotated(self, salt: str, *, grace: timedelta, at: datetime) -> Webhook:
        """A new secret; the current one keeps signing beside it until the grace period ends."""
        return replace(
            self,
            secret_salt=salt,
            previous_secret_salt=self.secret_salt,
            previous_secret_expires_at=at + grace,
            updated_at=at,
        )

    def enable(self, at: datetime) -> Webhook:
        """Enabled again: the failures are forgotten, its waiting deliveries go out."""
        return replace(
            self, state=WebhookState.ENABLED, disabled_reason=None, failing_since=None, updated_at=at
        )

    def disable(self, reason: str, at: datetime) -> Webhook:
        """Disabled with a reason people can read."""
        if not self.enabled:
            raise InvalidState("the webhook is disabled already")
        return replace(self, state=WebhookState.DISABLED, disabled_reason=reason, updated_at=at)


@dataclass(frozen=True, slots=True)
class NewWebhook:
    """A webhook to create."""

    org_id: int
    url: str
    event_types: tuple[str, ...]
    description: str
    secret_salt: str
    created_at: datetime
    state: WebhookState = WebhookState.ENABLED


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent (or to be sent) to one webhook; its attempts are retried until it is delivered."""

    id: int
    org_id: int
    webhook_id: int
    event_seq: int
    event_type: str
    subject_type: str
    subject_id: int
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    duration_ms: int | None
    last_error: DeliveryError | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class NewDelivery:
    """A delivery the dispatcher makes: an event for a webhook, its body fixed now."""

    org_id: int
    webhook_id: int
    event_seq: int
    event_type: str
    subject_type: str
    subject_id: int
    body: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """A delivery a sender holds until its lease ends, with what it needs to send it."""

    id: int
    org_id: int
    webhook_id: int
    event_seq: int
    attempts: int
    claimed_by: str
    body: str
    url: str
    secret_salt: str
    previous_secret_salt: str | None
    previous_secret_expires_at: datetime | None

    def salts(self, now: datetime) -> tuple[str, ...]:
        """The salts of the secrets that sign it now (see Webhook.salts)."""
        return signing_salts(
            self.secret_salt, self.previous_secret_salt, self.previous_secret_expires_at, now
        )


@dataclass(frozen=True, slots=True)
class Attempt:
    """What one attempt got: a 2xx status, or an error with the status if the receiver answered."""

    ok: bool
    response_status: int | None
    duration_ms: int
    error: DeliveryError | None = None


@dataclass(frozen=True, slots=True)
class DeliveryPolicy:
    """How deliveries are retried, bounded and given up on."""

    backoff: timedelta = timedelta(seconds=5)
    """The delay after the first failure; it doubles per attempt, with jitter, up to `max_backoff`."""
    max_backoff: timedelta = timedelta(hours=1)
    disable_after: timedelta = timedelta(days=1)
    """A webhook failing for this long (no success since its first failure) is disabled."""
    lease: timedelta = timedelta(minutes=2)
    """A claim lasts this long; then another sender may take the delivery (must exceed the timeout)."""
    batch: int = 32
    """Deliveries claimed, and sent at once, per round."""
    secret_grace: timedelta = timedelta(days=1)
    """How long the previous secret keeps signing after a rotation."""
    jitter: random.Random = field(default_factory=random.Random, compare=False)

    def retry_at(self, now: datetime, attempts: int) -> datetime:
        """When to try again after `attempts` failed ones: exponential, capped, with "equal jitter"
        (half the delay fixed, half random) so that receivers coming back are not hit all at once."""
        delay = min(
            self.max_backoff.total_seconds(), self.backoff.total_seconds() * 2 ** min(attempts - 1, 30)
        )
        return now + timedelta(seconds=delay / 2 + self.jitter.uniform(0, delay / 2))


def delivery_page(first: int | None, after: Key | None) -> PageRequest:
    """The page request of webhook.deliveries: newest first."""
    return PageRequest.of(first, after, shape=NEWEST_FIRST)
