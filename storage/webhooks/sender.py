"""WebhookSender over httpx: Standard Webhooks signatures (the standardwebhooks library), the address
guard, timeouts, no redirects, and a response that is never read beyond its status line."""

from __future__ import annotations

import asyncio
import time

import httpx
from standardwebhooks import Webhook as Signer

from domain.webhooks.model import Attempt, DeliveryError
from domain.webhooks.ports import Outgoing
from storage.webhooks.addresses import BlockedAddress, Unresolvable, resolve_target

USER_AGENT = "Atelier-Webhooks/1"


def signature_header(outgoing: Outgoing) -> str:
    """`v1,<sig> v1,<sig>`: one signature per secret (the new one first during a rotation's grace)."""
    return " ".join(
        Signer(secret).sign(outgoing.message_id, outgoing.timestamp, outgoing.body)
        for secret in outgoing.secrets
    )


class HttpWebhookSender:
    """Sends deliveries with one shared connection pool."""

    def __init__(
        self, *, timeout: float, allow_private_networks: bool = False, max_connections: int = 64
    ) -> None:
        self._allow_private = allow_private_networks
        self._deadline = timeout  # the whole attempt: httpx's timeout bounds each read, not their sum
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,  # a redirect is a failure: it could point anywhere, private addresses too
            limits=httpx.Limits(max_connections=max_connections),
            trust_env=False,  # no proxy from the environment: the guard checks where the request goes
        )

    async def send(self, outgoing: Outgoing) -> Attempt:
        started = time.monotonic()

        def took() -> int:
            return int((time.monotonic() - started) * 1000)

        try:
            target = await resolve_target(outgoing.url, allow_private=self._allow_private)
        except BlockedAddress:
            return Attempt(
                ok=False, response_status=None, duration_ms=took(), error=DeliveryError.BLOCKED_ADDRESS
            )
        except Unresolvable:
            return Attempt(ok=False, response_status=None, duration_ms=took(), error=DeliveryError.DNS_FAILED)
        headers = {
            "host": target.host_header,
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "webhook-id": outgoing.message_id,
            "webhook-timestamp": str(int(outgoing.timestamp.timestamp())),
            "webhook-signature": signature_header(outgoing),
        }
        extensions = {"sni_hostname": target.sni_hostname} if target.sni_hostname else {}
        request = self._client.build_request(
            "POST", target.url, content=outgoing.body.encode(), headers=headers, extensions=extensions
        )
        try:
            # a receiver that trickles a byte at a time would hold the slot past its lease, and the
            # delivery would be sent again beside it
            async with asyncio.timeout(self._deadline):
                response = await self._client.send(request, stream=True)
                await response.aclose()  # the status is all we keep: the body is never read
        except (httpx.TimeoutException, TimeoutError):
            return Attempt(ok=False, response_status=None, duration_ms=took(), error=DeliveryError.TIMEOUT)
        except httpx.HTTPError:
            return Attempt(
                ok=False, response_status=None, duration_ms=took(), error=DeliveryError.CONNECTION_FAILED
            )
        if 200 <= response.status_code < 300:
            return Attempt(ok=True, response_status=response.status_code, duration_ms=took())
        return Attempt(
            ok=False,
            response_status=response.status_code,
            duration_ms=took(),
            error=DeliveryError.HTTP_STATUS,
        )

    async def close(self) -> None:
        """Close the connection pool."""
        await self._client.aclose()
