"""Webhook rules: what a URL, event types and description may be, addresses refused, backoff, secrets."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta

import pytest

from domain.events.model import LoggedEvent
from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.webhooks.model import (
    MAX_EVENT_TYPES,
    DeliveryPolicy,
    clean_description,
    clean_event_types,
    clean_url,
    is_blocked_address,
    signing_salts,
)
from domain.webhooks.signing import SecretDeriver
from graph.events.types import event_list
from graph.relay.ids import Cursors, to_global_id
from graph.webhooks.envelope import MAX_BODY, EventEnvelopes

AT = datetime(2026, 6, 1, tzinfo=UTC)


class TestUrl:
    @pytest.mark.parametrize(
        "url",
        ["https://partner.example/hooks/atelier", "http://10.0.0.5:8080/x?y=1", "https://[2001:db8::1]/h"],
    )
    def test_http_and_https_urls_with_a_host_are_kept(self, url):
        assert clean_url(f"  {url} ") == url

    @pytest.mark.parametrize(
        "url",
        [
            "",
            "ftp://partner.example/x",
            "javascript:alert(1)",
            "https://user:pass@partner.example/",
            "https://user@partner.example/",
            "https:///path-only",
            "https://partner.example:99999/",
            "https://partner.example/#frag",
            "https://partner.example/a b",
            "https://partner.example/\x00",
            "https://partner.example/" + "a" * 2_000,
            "partner.example/hook",
        ],
    )
    def test_anything_else_is_invalid_input_on_the_url(self, url):
        with pytest.raises(InvalidInput) as raised:
            clean_url(url)
        assert raised.value.field == "url"

    def test_a_url_holding_a_credential_is_refused_without_repeating_it(self):
        with pytest.raises(InvalidInput) as raised:
            clean_url("https://partner.example/hook?key=ghp_" + "a1B2" * 9)
        assert "ghp_" not in raised.value.message


class TestEventTypes:
    def test_known_types_are_kept_once_and_sorted(self):
        assert clean_event_types(["folder.created", "asset.saved", "folder.created"]) == (
            "asset.saved",
            "folder.created",
        )

    def test_an_unknown_type_is_named_by_its_position(self):
        with pytest.raises(InvalidInput) as raised:
            clean_event_types(["asset.saved", "asset.exploded"])
        assert raised.value.field == "eventTypes[1]"

    def test_none_and_too_many_are_refused(self):
        with pytest.raises(InvalidInput):
            clean_event_types([])
        with pytest.raises(LimitExceeded):
            clean_event_types(["asset.saved"] * (MAX_EVENT_TYPES + 1))

    def test_the_description_is_cleaned_and_bounded(self):
        assert clean_description("  for the CMS ") == "for the CMS"
        with pytest.raises(InvalidInput):
            clean_description("x" * 501)


class TestBlockedAddresses:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.1.1",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fe80::1%eth0",
            "fc00::1",
            "fd00:ec2::254",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "2002:7f00:1::",  # 6to4 carrying 127.0.0.1
            "2002:a00:1::",  # 6to4 carrying 10.0.0.1
            "192.0.0.8",  # IETF protocol assignments
            "fec0::1",  # site-local
        ],
    )
    def test_own_network_addresses_are_refused(self, address):
        assert is_blocked_address(address)

    @pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
    def test_public_addresses_pass(self, address):
        assert not is_blocked_address(address)


class TestBackoff:
    def test_the_delay_doubles_per_attempt_with_jitter_and_is_capped(self):
        policy = DeliveryPolicy(
            backoff=timedelta(seconds=10), max_backoff=timedelta(seconds=60), jitter=random.Random(7)
        )
        for attempts, full in [(1, 10), (2, 20), (3, 40), (4, 60), (40, 60)]:
            delays = {(policy.retry_at(AT, attempts) - AT).total_seconds() for _ in range(50)}
            assert all(full / 2 <= d <= full for d in delays) and len(delays) > 1


class TestSecrets:
    def test_a_secret_is_derived_from_the_server_key_and_the_salt(self):
        one, other = SecretDeriver(b"key-1"), SecretDeriver(b"key-2")
        assert one.secret("salt").startswith("whsec_") and one.secret("salt") == one.secret("salt")
        assert one.secret("salt") != one.secret("pepper") and one.secret("salt") != other.secret("salt")
        assert "key-1" not in repr(one)

    def test_the_previous_secret_signs_only_within_its_grace(self):
        assert signing_salts("new", "old", AT, AT - timedelta(seconds=1)) == ("new", "old")
        assert signing_salts("new", "old", AT, AT) == ("new",)
        assert signing_salts("new", None, None, AT) == ("new",)


class TestEnvelope:
    def test_the_body_is_the_event_as_the_events_query_shows_it(self):
        event = LoggedEvent(7, 1, "placement.approved", 1, "Placement", 3, None, {"asset_id": 5}, AT)
        body = json.loads(EventEnvelopes(Cursors(b"k"))(event))
        assert body["id"] == "evt_7" and body["subject"]["id"] == to_global_id("Placement", 3)
        assert body["payload"] == {"assetId": to_global_id("Asset", 5)}
        assert Cursors(b"k").of(event_list(1)).decode(body["cursor"]) == (7,)

    def test_an_oversized_payload_is_left_out_and_said_so(self):
        event = LoggedEvent(7, 1, "asset.saved", 1, "Asset", 3, None, {"text": "x" * MAX_BODY}, AT)
        body = EventEnvelopes(Cursors(b"k"))(event)
        assert len(body) < MAX_BODY and '"payloadOmitted":true' in body
