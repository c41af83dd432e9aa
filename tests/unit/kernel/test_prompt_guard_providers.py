"""Keys the guard missed: more AI providers, fal.ai, URLs with a password and no user, Discord webhooks."""

from __future__ import annotations

import random
import string

import pytest

from domain.kernel.errors import InvalidInput
from domain.kernel.prompt_guard import find_secret
from domain.kernel.text import clean_text
from tests import texts

_rng = random.Random(9)


def _run(n: int, alphabet: str = string.ascii_letters + string.digits) -> str:
    return "".join(_rng.choice(alphabet) for _ in range(n))


HEX = "0123456789abcdef"
UUID = f"{_run(8, HEX)}-{_run(4, HEX)}-{_run(4, HEX)}-{_run(4, HEX)}-{_run(12, HEX)}"

FOUND = [
    ("xAI", f"use xai-{_run(80)} for grok", "an AI provider's API key"),
    ("Groq", f"GROQ gsk_{_run(52)}", "an AI provider's API key"),
    ("Perplexity", f"pplx-{_run(48)}", "an AI provider's API key"),
    (
        "NVIDIA",
        f"key nvapi-{_run(64, string.ascii_letters + string.digits + '-_')}",
        "an AI provider's API key",
    ),
    ("Tavily", f"tvly-{_run(32)}", "an AI provider's API key"),
    ("Tavily dev", f"tvly-dev-{_run(32)}", "an AI provider's API key"),
    ("LangSmith", f"lsv2_pt_{_run(32, HEX)}_{_run(10, HEX)}", "an AI provider's API key"),
    ("LangSmith service key", f"lsv2_sk_{_run(32, HEX)}_{_run(10, HEX)}", "an AI provider's API key"),
    ("fal", f"FAL_KEY {UUID}:{_run(32, HEX)}", "a fal.ai key"),
    ("redis without a user", "redis://:s3cretPassw0rd@cache.internal:6379/0", "a URL with a password"),
    ("rediss without a user", "rediss://:hunter2@10.0.0.5", "a URL with a password"),
    (
        "Discord webhook",
        f"https://discord.com/api/webhooks/123456789012345678/{_run(68, string.ascii_letters + '-_')}",
        "a Discord webhook URL",
    ),
    (
        "Discord webhook, old host",
        f"https://discordapp.com/api/webhooks/123456789012345678/{_run(68)}",
        "a Discord webhook URL",
    ),
]

PASS = [
    "xai-grok-2-vision-1212 made this, and grok-3 the next",
    "a gsk_ prefix, gsk_model_v2 and pplx-70b-online, sonar-pro",
    "nvapi-docs and nvapi-reference-guide-for-developers-who-read-everything-twice",
    "tvly-search results, tvly-dev-notes",
    "lsv2_pt_ is how LangSmith keys start",
    f"a workflow node {UUID} with seed 12345",
    f"xmp.iid:{UUID}",
    f"{UUID}:1234",
    "redis://localhost:6379/0, redis://:@cache, redis://:${REDIS_PASSWORD}@cache, redis://:****@cache",
    "https://discord.com/channels/123/456 and discord.com/api/webhooks/ docs",
    "xai-" + "a" * 80,  # letters only: a word, however long
]


class TestKeysFound:
    @pytest.mark.parametrize(("name", "text", "kind"), FOUND, ids=[n for n, _, _ in FOUND])
    def test_the_kind_is_named_and_the_text_refused(self, name, text, kind):
        assert find_secret(text) == kind
        with pytest.raises(InvalidInput) as refused:
            clean_text(text, field="prompt", max_length=50_000)
        assert text not in str(refused.value)

    @pytest.mark.parametrize(("name", "text", "kind"), FOUND[:9], ids=[n for n, _, _ in FOUND[:9]])
    def test_a_key_glued_to_a_word_is_not_one(self, name, text, kind):
        key = text.split()[-1] if name != "xAI" else text.split()[1]
        assert find_secret("word" + key) is None


class TestOrdinaryTextPasses:
    @pytest.mark.parametrize("text", PASS)
    def test_lookalikes_pass(self, text):
        assert find_secret(text) is None

    @pytest.mark.parametrize("prompt", texts.PROMPTS)
    def test_the_false_alarm_corpus_still_passes(self, prompt):
        assert find_secret(prompt) is None

    def test_workflows_pass(self):
        assert find_secret(texts.comfy_workflow(200_000)) is None

    @pytest.mark.timeout(5)  # milliseconds when linear; a quadratic pattern takes minutes on these
    @pytest.mark.parametrize(
        "crafted",
        [":" * 200_000, "xai-" * 50_000, f"{UUID}:" * 5_000, "://:" * 50_000],
        ids=["colons", "xai-prefixes", "uuid-colons", "scheme-colons"],
    )
    def test_crafted_text_stays_linear(self, crafted):
        assert find_secret(crafted) is None
