"""The HTTP sender against a real receiver on loopback: Standard Webhooks signatures verified by the
standardwebhooks library, and the address guard with real resolution (literal IPs and `localhost`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.webhooks.model import DeliveryError
from domain.webhooks.ports import Outgoing
from storage.webhooks.addresses import BlockedAddress, resolve_target
from storage.webhooks.sender import HttpWebhookSender
from tests.webhook_receiver import Receiver

SECRET, OLD = (
    "whsec_" + "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "whsec_" + "c2VjcmV0LW9mLXRoZS1vbGQtb25lLTEyMzQ1Ng==",
)


@pytest.fixture
async def receiver():
    r = Receiver(secrets=[SECRET, OLD])
    await r.start()
    yield r
    await r.stop()


@pytest.fixture
async def sender():
    s = HttpWebhookSender(timeout=5, allow_private_networks=True)
    yield s
    await s.close()


def outgoing(url: str, *secrets: str) -> Outgoing:
    return Outgoing(
        url=url, body='{"id":"evt_1"}', message_id="evt_1", timestamp=datetime.now(UTC), secrets=secrets
    )


class TestSigning:
    async def test_the_receiver_verifies_the_request_with_the_standardwebhooks_library(
        self, receiver, sender
    ):
        attempt = await sender.send(outgoing(receiver.url, SECRET))
        assert (attempt.ok, attempt.response_status, attempt.error) == (True, 204, None)
        (request,) = receiver.requests
        assert request.verified_with == [0] and request.headers["webhook-id"] == "evt_1"
        assert request.headers["content-type"] == "application/json"

    async def test_during_a_rotation_either_secret_verifies(self, receiver, sender):
        await sender.send(outgoing(receiver.url, SECRET, OLD))
        (request,) = receiver.requests
        assert request.verified_with == [0, 1] and len(request.headers["webhook-signature"].split(" ")) == 2

    async def test_an_error_status_and_a_redirect_are_failures_not_followed(self, receiver, sender):
        for status in (500, 302):
            receiver.mode = status
            attempt = await sender.send(outgoing(receiver.url, SECRET))
            assert (attempt.ok, attempt.response_status, attempt.error) == (
                False,
                status,
                DeliveryError.HTTP_STATUS,
            )
        assert len(receiver.requests) == 2

    async def test_a_closed_port_is_a_connection_failure(self, receiver, sender):
        await receiver.stop()
        attempt = await sender.send(outgoing(receiver.url, SECRET))
        assert (attempt.ok, attempt.error) == (False, DeliveryError.CONNECTION_FAILED)


class TestAddressGuard:
    @pytest.mark.parametrize(
        "url",
        [
            "http://127.0.0.1/",
            "http://localhost:8080/",
            "http://[::1]/",
            "http://10.0.0.1/",
            "http://192.168.0.10/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fd00:ec2::254]/",
            "http://0.0.0.0/",
            "http://[::ffff:127.0.0.1]/",
            "http://2130706433/",
        ],
    )
    async def test_own_network_addresses_are_refused_after_resolution(self, url):
        with pytest.raises(BlockedAddress):
            await resolve_target(url, allow_private=False)

    async def test_the_request_goes_to_the_checked_address_with_the_name_as_host_and_sni(self):
        target = await resolve_target("https://93.184.215.14:8443/hook?a=1", allow_private=False)
        assert target.url == "https://93.184.215.14:8443/hook?a=1" and target.sni_hostname == "93.184.215.14"
        local = await resolve_target("http://localhost:9000/x", allow_private=True)
        assert (
            local.url in ("http://127.0.0.1:9000/x", "http://[::1]:9000/x")
            and local.host_header == "localhost:9000"
        )

    async def test_with_private_networks_refused_a_loopback_receiver_gets_nothing(self, receiver):
        guarded = HttpWebhookSender(timeout=5, allow_private_networks=False)
        try:
            for url in (receiver.url, receiver.url.replace("127.0.0.1", "localhost")):
                attempt = await guarded.send(outgoing(url, SECRET))
                assert (attempt.ok, attempt.response_status, attempt.error) == (
                    False,
                    None,
                    DeliveryError.BLOCKED_ADDRESS,
                )
        finally:
            await guarded.close()
        assert receiver.requests == []

    async def test_an_unresolvable_host_is_a_dns_failure(self, sender):
        attempt = await sender.send(outgoing("http://no-such-host.invalid/", SECRET))
        assert (attempt.ok, attempt.error) == (False, DeliveryError.DNS_FAILED)


class TestADeadlineForTheWholeAttempt:
    async def test_a_receiver_that_trickles_its_answer_times_out_within_the_deadline(self):
        import asyncio

        async def trickle(reader, writer):
            await reader.read(65536)
            writer.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            try:
                for _ in range(100):  # a byte every 0.2 s: each read is quick, the answer never ends
                    await asyncio.sleep(0.2)
                    writer.write(b"a")
                    await writer.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(trickle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        sender = HttpWebhookSender(timeout=1, allow_private_networks=True)
        try:
            attempt = await sender.send(outgoing(f"http://127.0.0.1:{port}/h", SECRET))
        finally:
            await sender.close()
            server.close()
        assert (attempt.ok, attempt.error) == (False, DeliveryError.TIMEOUT)
        assert attempt.duration_ms is not None and attempt.duration_ms < 5_000  # not held past its lease
