"""The prompt guard finds credentials of each known shape, passes ordinary prompts, and never echoes a secret.

The fake credentials are assembled at run time, so the source holds no string that a
secret scanner (or push protection) would take for a real key.
"""

from __future__ import annotations

import base64
import random
import string

import pytest

from domain.errors import ErrorCode, InvalidInput
from domain.prompt_guard import find_secret, refuse_secrets
from domain.tokens import TOKEN_PREFIX


def filler(length: int, alphabet: str = string.ascii_letters + string.digits, *, seed: int = 1) -> str:
    """A deterministic random-looking run of characters."""
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


UPPER = string.ascii_uppercase + string.digits
URLSAFE = string.ascii_letters + string.digits + "_-"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


JWT = ".".join(
    [
        b64url(b'{"alg":"HS256","typ":"JWT"}'),
        b64url(b'{"sub":"1234567890","name":"Ada","iat":1516239022}'),
        filler(43, URLSAFE, seed=9),
    ]
)

# (kind find_secret names, a credential of that kind)
CREDENTIALS = [
    pytest.param("an AWS access key", "AK" + "IA" + filler(16, UPPER), id="aws-akia"),
    pytest.param("an AWS access key", "AS" + "IA" + filler(16, UPPER, seed=2), id="aws-asia-session"),
    pytest.param("a GitHub token", "gh" + "p_" + filler(36), id="github-ghp"),
    pytest.param("a GitHub token", "gh" + "s_" + filler(36, seed=3), id="github-ghs"),
    pytest.param(
        "a GitHub token", "github" + "_pat_" + filler(82, string.ascii_letters + "_"), id="github-pat"
    ),
    pytest.param("an OpenAI or Anthropic API key", "sk" + "-" + filler(48), id="openai-legacy"),
    pytest.param("an OpenAI or Anthropic API key", "sk" + "-proj-" + filler(120, URLSAFE), id="openai-proj"),
    pytest.param(
        "an OpenAI or Anthropic API key", "sk" + "-ant-api03-" + filler(95, URLSAFE), id="anthropic"
    ),
    pytest.param("a Google API key", "AI" + "za" + filler(35, string.ascii_letters + "_"), id="google"),
    pytest.param("a Slack token", "xo" + "xb-" + "123456789012-" + filler(24), id="slack-bot"),
    pytest.param("a Slack token", "xo" + "xp-" + "98765432109-" + filler(32), id="slack-user"),
    pytest.param("a Stripe key", "sk" + "_live_" + filler(24), id="stripe-secret-live"),
    pytest.param("a Stripe key", "rk" + "_live_" + filler(24, seed=4), id="stripe-restricted"),
    pytest.param("a Stripe key", "sk" + "_test_" + filler(24, seed=5), id="stripe-secret-test"),
    pytest.param("a JSON web token", JWT, id="jwt"),
    pytest.param(
        "a private key block",
        "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEow" + filler(40) + "\n-----END RSA PRIVATE KEY-----",
        id="rsa-private-key",
    ),
    pytest.param("a private key block", "-----BEGIN OPENSSH " + "PRIVATE KEY-----", id="openssh-private-key"),
    pytest.param("a private key block", "-----BEGIN " + "PRIVATE KEY-----", id="pkcs8-private-key"),
    pytest.param("a private key block", "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----", id="pgp-private-key"),
    pytest.param("an Atelier API token", TOKEN_PREFIX + b64url(bytes(range(32))), id="atelier"),
    pytest.param("an Atelier API token", TOKEN_PREFIX + b64url(bytes(range(200, 232))), id="atelier-2"),
    pytest.param("a Hugging Face token", "h" + "f_" + filler(34), id="hugging-face"),
    pytest.param("a password or secret assignment", "password=" + "correct-horse-battery", id="password"),
    pytest.param("a password or secret assignment", "Password: " + "hunter2hunter2", id="password-colon"),
    pytest.param("a password or secret assignment", "passwd=" + "s3cr3tp4ss", id="passwd"),
    pytest.param("a password or secret assignment", "api_key = " + filler(20, seed=6), id="api-key"),
    pytest.param("a password or secret assignment", "API-KEY=" + filler(20, seed=7), id="api-dash-key"),
    pytest.param("a password or secret assignment", "ACCESS_TOKEN: " + filler(20, seed=8), id="token"),
    pytest.param("a password or secret assignment", "secret=" + filler(16, seed=10), id="secret"),
]


class TestEachKindOfCredentialIsFound:
    @pytest.mark.parametrize(("kind", "secret"), CREDENTIALS)
    def test_the_credential_alone_is_found(self, kind, secret):
        assert find_secret(secret) == kind

    @pytest.mark.parametrize(("kind", "secret"), CREDENTIALS)
    def test_the_credential_inside_a_prompt_is_found(self, kind, secret):
        prompt = f"a red fox in the snow, golden hour, {secret} , 8k, highly detailed"
        assert find_secret(prompt) == kind

    @pytest.mark.parametrize(("kind", "secret"), CREDENTIALS)
    def test_the_credential_at_the_start_of_a_line_is_found(self, kind, secret):
        assert find_secret(f"cinematic portrait\n{secret}\nsoft light") == kind

    def test_a_credential_in_quotes_is_found(self):
        key = "sk" + "-" + filler(48)
        assert find_secret(f'use my key "{key}" for this one') == "an OpenAI or Anthropic API key"

    def test_a_github_token_after_an_equals_sign_is_found(self):
        assert find_secret("GITHUB_TOKEN=" + "gh" + "p_" + filler(36)) == "a GitHub token"


class TestOrdinaryPromptsPass:
    @pytest.mark.parametrize(
        "prompt",
        [
            "portrait of an old fisherman, dramatic key light, rim light, 85mm, f/1.8",
            "a rusty skeleton key on a velvet cushion, macro photography, shallow depth of field",
            "password screen UI mockup for a banking app, clean flat design, light mode",
            "login page with a password field and a 'forgot password?' link, dribbble style",
            "a password: field on a retro terminal, green phosphor glow",
            "keyboard with a glowing 'Enter password' prompt, moody desk setup",
            "sk8 park at dusk, teenagers on boards, film grain",
            "skater doing a kickflip at the sk8 park, fisheye lens, 90s zine style",
            "sk-ii skincare bottle product shot, studio lighting, white background",
            "a token of love: a hand-carved wooden heart, soft bokeh",
            "Secret garden with a hidden door, ivy, fairy lights, whimsical",
            "the secret ingredient: cinnamon, cozy kitchen, warm light",
            "API key icon set, flat vector, 24px grid",
            "access token concept art, a glowing ticket, futuristic",
            "(masterpiece:1.2), (best quality:1.1), 1girl, silver hair, cyberpunk city, neon lights, rain, "
            "<lora:cyberpunk_v2:0.8>, <lyco:detail_tweaker:0.5>",
            "<lora:foo:0.8> <lora:add_detail:0.6>, a cozy cabin in the woods, (snow:1.3), [sunset:dawn:0.5]",
            "brand palette #1A2B3C, #FF6600 and #00FFAA, minimalist poster, Swiss design",
            "a product shot of headphones, hex color #0A0A0A background, rim light",
            "seed: 1234567890, steps: 30, cfg: 7.5, sampler: DPM++ 2M Karras",
            "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3141592653, Size: 512x768, "
            "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly",
            "Negative prompt: lowres, bad anatomy, bad hands, text, error, missing fingers, jpeg artifacts",
            "a sleek black sports car, AKIRA style, motion blur, neon Tokyo night",
            "ASIAN street food market at night, lanterns, steam rising, 35mm",
            "cinematic still of a lone astronaut on Mars, red dust storm, anamorphic lens flare, 2.39:1, "
            "Roger Deakins lighting, ultra detailed, volumetric fog, (film grain:0.8), shot on ARRI Alexa",
            "watercolor of Kyoto in autumn, maple leaves, temple, gentle mist",
            "isometric room, 3d render, blender, octane, ray tracing, trending on artstation",
            "8k uhd, dslr, soft lighting, high quality, film grain, Fujifilm XT3",
            "the word passwd on a hacker movie screen, matrix code rain",
            "a Slack-style chat UI mockup with xoxo sign-offs, pastel",
            "hugging face emoji 🤗 sticker, cute, die-cut",
            "AIza mountain range at sunrise, epic wide shot",
            "an old brass key on the gate of a private estate, begin of autumn",
            "a cat named ghost_paws_the_magnificent, regal portrait, oil painting",
            "Atlanta skyline at night, ATL airport, jets taking off, long exposure",
            "a heart-shaped locket, token of friendship, vintage, sepia",
        ],
    )
    def test_an_ordinary_image_prompt_holds_no_secret(self, prompt):
        assert find_secret(prompt) is None
        refuse_secrets(prompt, field="prompt")  # does not raise

    @pytest.mark.parametrize("prompt", ["", " ", "\n"])
    def test_empty_text_holds_no_secret(self, prompt):
        assert find_secret(prompt) is None

    @pytest.mark.parametrize(
        "prompt", ["password=abc", "Password: ******", "github_pat_ on a t-shirt", "sk_live_ vibes"]
    )
    def test_prefixes_without_a_credential_after_them_pass(self, prompt):
        assert find_secret(prompt) is None

    @pytest.mark.parametrize(
        "prompt",
        [
            "top secret: classified documents on a desk, noir lighting, cigarette smoke",
            "a book cover titled 'The Secret: Unlocking Happiness', gold foil typography",
        ],
    )
    def test_the_word_secret_before_a_colon_in_a_prompt_passes(self, prompt):
        assert find_secret(prompt) is None


class TestTheRefusalNeverEchoesTheSecret:
    @pytest.mark.parametrize(("kind", "secret"), CREDENTIALS)
    def test_the_error_names_the_kind_and_the_field_but_not_the_secret(self, kind, secret):
        with pytest.raises(InvalidInput) as caught:
            refuse_secrets(f"a fox in the snow {secret}", field="negativePrompt")
        error = caught.value
        assert error.code is ErrorCode.INVALID_INPUT
        assert error.field == "negativePrompt"
        assert kind in error.message
        assert "nothing was stored" in error.message
        value = secret.split("=")[-1].split(":")[-1].strip()
        for text in (error.message, str(error), repr(error)):
            assert value not in text
            assert value[-8:] not in text
