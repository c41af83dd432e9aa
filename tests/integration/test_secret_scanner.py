"""The SecretScanner adapter on detect-secrets: which detectors run, that nothing leaves the process, speed.

Speed is bounded by pytest-timeout, not by a wall-clock assert: the guard takes about
5 ms on a 50,000-character prompt and 20-25 ms on a 200 KB workflow
(`bench/prompt_guard.py`), a quadratic pattern minutes on a crafted text.
"""

from __future__ import annotations

import json

import pytest
from detect_secrets.constants import VerifiedResult
from detect_secrets.plugins.base import BasePlugin
from detect_secrets.plugins.stripe import StripeDetector
from detect_secrets.settings import transient_settings

from domain.kernel import prompt_guard
from domain.kernel.prompt_guard import find_secret
from graph.server.app import create_app
from graph.server.bootstrap import Adapters, bootstrap
from storage.secret_scanner import OFF, DetectSecretsScanner
from tests import texts

VERIFICATION = "detect_secrets.filters.common.is_ignored_due_to_verification_policies"
IN_USE = [
    "AWSKeyDetector",
    "AzureStorageKeyDetector",
    "BasicAuthDetector",
    "DiscordBotTokenDetector",
    "GitHubTokenDetector",
    "GitLabTokenDetector",
    "MailchimpDetector",
    "PrivateKeyDetector",
    "PypiTokenDetector",
    "SendGridDetector",
    "SlackDetector",
    "SquareOAuthDetector",
    "StripeDetector",
    "TelegramBotTokenDetector",
    "TwilioKeyDetector",
]


class TestTheDetectors:
    def test_the_specific_detectors_run_and_the_noisy_or_slow_ones_do_not(self):
        # a new detect-secrets release that adds a detector fails here: decide on it, then list it
        assert DetectSecretsScanner().names == IN_USE
        assert {
            "Base64HighEntropyString",
            "HexHighEntropyString",
            "KeywordDetector",
            "IPPublicDetector",
        } <= OFF

    def test_the_scanner_answers_the_kind_never_the_secret(self):
        key = "gh" + "p_" + "A1b2C3d4" * 5
        kind = DetectSecretsScanner().find(f"a poster with {key}")
        assert kind == "a GitHub token" and key not in kind

    def test_a_match_is_never_sent_to_the_vendor_to_verify_it(self, monkeypatch):
        # detect-secrets' analyze_line verifies a match with the vendor's API once the process-wide
        # settings ask for it; the adapter asks analyze_string, which never does
        def verify(self: BasePlugin, secret: str) -> VerifiedResult:
            raise AssertionError("a secret was about to leave the process")

        monkeypatch.setattr(StripeDetector, "verify", verify)
        key = "sk" + "_live_" + "A1b2C3d4E5f6G7h8I9j0K1l2"
        with transient_settings({"filters_used": [{"path": VERIFICATION, "min_level": 2}]}):
            with pytest.raises(AssertionError, match="leave the process"):
                StripeDetector().analyze_line(filename="prompt", line=key)
            assert DetectSecretsScanner().find(key) == "a Stripe key"


class TestTheCompositionRootBindsTheScanner:
    @pytest.fixture
    def unbound(self):
        before = prompt_guard.bound()
        prompt_guard.use(None)
        yield
        prompt_guard.use(before)

    def test_create_app_binds_the_full_scanner(self, unbound, settings, adapters):
        create_app(settings, adapters=adapters)
        assert isinstance(prompt_guard.bound(), DetectSecretsScanner)
        assert prompt_guard.bound() is adapters.scanner

    async def test_bootstrap_binds_it_for_the_cli_too(self, unbound, settings):
        adapters = Adapters.build(settings)
        try:
            bootstrap(adapters)
            assert isinstance(prompt_guard.bound(), DetectSecretsScanner)
        finally:
            await adapters.engine.dispose()


@pytest.mark.timeout(3)  # milliseconds when linear (bench/prompt_guard.py); a quadratic pattern takes minutes
class TestSpeed:
    def test_a_50000_character_prompt_is_scanned_to_the_end(self):
        prompt = texts.long_prompt(50_000)
        assert find_secret(prompt) is None  # so every detector runs to the end

    def test_a_200_kb_comfyui_workflow_is_scanned_to_the_end(self):
        workflow = texts.comfy_workflow(340_000)
        compact = json.dumps(json.loads(workflow), separators=(",", ":"), ensure_ascii=False)
        assert len(compact.encode()) >= 200_000 and find_secret(compact) is None

    @pytest.mark.parametrize(
        "unit",
        [
            "sk-",
            "eyJ",
            "//",
            "://a",
            "key=",
            "api_key: ",
            "password=",
            "Bearer ",
            "authorization: bearer ",
            "-",
            "-----begin rsa ",
            "M",
            "atl_",
            "github_pat_",
            "xoxb-1-",
            "aws key '",
            "_authToken=",
            "\u200b",
            "ａ",
        ],
    )
    def test_a_crafted_text_takes_linear_time(self, unit):
        # detect-secrets' OpenAI, JWT and npm patterns took seconds on 50,000 characters of
        # "sk-", "eyJ" or "//": they are off, and the domain's own shapes enter a run only once
        crafted = (unit * (50_000 // len(unit) + 1))[:50_000]
        find_secret(crafted)
