"""The prompt guard finds credentials however they are spelled, passes ordinary prompts, and never echoes a secret.

The scanner the app binds (detect-secrets' detectors) is bound for every test by
tests/conftest.py, so these check real detection. The fake credentials are
assembled at run time, so the source holds no string that a secret scanner (or
push protection) would take for a real key.
"""

from __future__ import annotations

import base64
import json
import random
import string

import pytest

from domain.kernel import prompt_guard
from domain.kernel.access import TOKEN_PREFIX
from domain.kernel.errors import ErrorCode, InvalidInput
from domain.kernel.prompt_guard import find_secret, refuse_secrets
from domain.kernel.prompt_guard.invisible import scan_form
from domain.kernel.prompt_guard.shapes import private_key_der
from tests import texts


def filler(length: int, alphabet: str = string.ascii_letters + string.digits, *, seed: int = 1) -> str:
    """A deterministic random-looking run of characters."""
    rng = random.Random(seed)
    return "".join(rng.choice(alphabet) for _ in range(length))


UPPER = string.ascii_uppercase + string.digits
LOWER = string.ascii_lowercase + string.digits
URLSAFE = string.ascii_letters + string.digits + "_-"
B64 = string.ascii_letters + string.digits + "+/"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def pem_body(head: str, length: int = 900, *, seed: int = 1) -> str:
    """A PEM body (base64 in 64-character lines) of DER bytes opening with `head` (hex)."""
    der = bytes.fromhex(head) + random.Random(seed).randbytes(length)
    encoded = base64.b64encode(der).decode()
    return "\n".join(encoded[i : i + 64] for i in range(0, len(encoded), 64))


JWT = ".".join(
    [
        b64url(b'{"alg":"HS256","typ":"JWT"}'),
        b64url(b'{"sub":"1234567890","name":"Ada","iat":1516239022}'),
        filler(43, URLSAFE, seed=9),
    ]
)
OPENAI = "sk" + "-proj-" + filler(120, URLSAFE)
ATELIER = TOKEN_PREFIX + b64url(bytes(range(32)))
# DER openings: PKCS#1 RSA, PKCS#8 RSA, SEC1 EC, PKCS#8 EC, PKCS#8 Ed25519, encrypted PKCS#8, DSA
RSA_PKCS1 = "308204a40201000282010100"
RSA_PKCS8 = "308204be020100300d06092a864886f70d0101010500048204a8"
EC_SEC1 = "30770201010420"
EC_PKCS8 = "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420"
ED25519_PKCS8 = "302e020100300506032b657004220420"
ENCRYPTED_PKCS8 = "3082052d305706092a864886f70d01050d304a"
DSA = "3082034e0201000282010100"
# and what is not a secret: an RSA public key (SPKI and PKCS#1), an EC public key, a certificate
RSA_SPKI = "30820122300d06092a864886f70d01010105000382010f00"
RSA_PUBLIC_PKCS1 = "3082010a0282010100"
EC_SPKI = "3059301306072a8648ce3d020106082a8648ce3d030107034200"
CERTIFICATE = "3082030d308201f5a003020102"

AI_KEY = "an AI provider's API key"
ASSIGNMENT = "a password or secret assignment"
PRIVATE_KEY = "a private key"

# (kind find_secret names, a credential of that kind)
CREDENTIALS = [
    # the vendors' catalogue (detect-secrets)
    pytest.param("an AWS access key", "AK" + "IA" + filler(16, UPPER), id="aws-akia"),
    pytest.param("an AWS access key", "AS" + "IA" + filler(16, UPPER, seed=2), id="aws-asia-session"),
    pytest.param("a GitHub token", "gh" + "p_" + filler(36), id="github-ghp"),
    pytest.param("a GitHub token", "gh" + "s_" + filler(36, seed=3), id="github-ghs"),
    pytest.param("a GitLab token", "gl" + "pat-" + filler(20, URLSAFE, seed=4), id="gitlab-glpat"),
    pytest.param(
        "a SendGrid API key",
        "S" + "G." + filler(22, URLSAFE) + "." + filler(43, URLSAFE, seed=5),
        id="sendgrid",
    ),
    pytest.param("a Slack token", "xo" + "xb-" + "123456789012-" + filler(24), id="slack-bot"),
    pytest.param("a Slack token", "xo" + "xp-" + "98765432109-" + filler(32), id="slack-user"),
    pytest.param("a Stripe key", "sk" + "_live_" + filler(24), id="stripe-secret-live"),
    pytest.param("a Stripe key", "rk" + "_live_" + filler(24, seed=4), id="stripe-restricted"),
    pytest.param("a Twilio API key", "S" + "K" + filler(32, LOWER, seed=6), id="twilio"),
    pytest.param("a Telegram bot token", "123456789:" + filler(35, URLSAFE, seed=7), id="telegram"),
    pytest.param("a Square OAuth secret", "sq0" + "csp-" + filler(43, URLSAFE, seed=8), id="square"),
    pytest.param("a PyPI token", "pypi-AgEIcHlwaS5vcmc" + filler(80, URLSAFE, seed=9), id="pypi"),
    pytest.param(
        "an Azure storage account key", "AccountKey=" + filler(86, B64, seed=10) + "==", id="azure-storage"
    ),
    pytest.param(
        "a URL with a user name and password",
        "postgresql://atelier:" + "Pw" + filler(14, seed=11) + "@db.example.com:5432/atelier",
        id="url-with-credentials",
    ),
    pytest.param(
        "a URL with a user name and password",
        "https://deploy:" + filler(20, seed=12) + "@git.example.com/brand/kit.git",
        id="git-url-with-credentials",
    ),
    # AI providers' keys (ours)
    pytest.param(AI_KEY, "sk" + "-" + filler(48), id="openai-legacy"),
    pytest.param(
        AI_KEY, "sk" + "-" + filler(20) + "T3Blbk" + "FJ" + filler(20, seed=2), id="openai-legacy-marked"
    ),
    pytest.param(AI_KEY, OPENAI, id="openai-proj"),
    pytest.param(AI_KEY, "sk" + "-svcacct-" + filler(100, URLSAFE, seed=3), id="openai-service-account"),
    pytest.param(AI_KEY, "sk" + "-ant-api03-" + filler(95, URLSAFE), id="anthropic"),
    pytest.param(AI_KEY, "sk" + "-or-v1-" + filler(64, "0123456789abcdef"), id="openrouter"),
    pytest.param("a Google API key", "AI" + "za" + filler(35, string.ascii_letters + "_"), id="google"),
    pytest.param("a Hugging Face token", "h" + "f_" + filler(34), id="hugging-face"),
    pytest.param("a Replicate token", "r" + "8_" + filler(37, seed=13), id="replicate"),
    pytest.param(
        "a GitHub token",
        "github" + "_pat_" + filler(82, string.ascii_letters + "_"),
        id="github-fine-grained",
    ),
    pytest.param("an npm token", "np" + "m_" + filler(36, seed=14), id="npm"),
    pytest.param(
        "an npm token", "//registry.npmjs.org/:_auth" + "Token=" + "np" + "m_" + filler(36), id="npmrc"
    ),
    pytest.param("a JSON web token", JWT, id="jwt"),
    # Atelier's own tokens, also glued to other text
    pytest.param("an Atelier API token", ATELIER, id="atelier"),
    pytest.param("an Atelier API token", TOKEN_PREFIX + b64url(bytes(range(200, 232))), id="atelier-2"),
    pytest.param("an Atelier API token", "mytoken" + ATELIER, id="atelier-glued-before"),
    pytest.param("an Atelier API token", ATELIER + "thanks", id="atelier-glued-after"),
    pytest.param("an Atelier API token", "x" + TOKEN_PREFIX + filler(43, URLSAFE) + "y", id="atelier-glued"),
    # private keys: headers in any case, bodies without a header
    pytest.param(
        PRIVATE_KEY,
        "-----BEGIN RSA " + "PRIVATE KEY-----\n" + pem_body(RSA_PKCS1) + "\n-----END RSA PRIVATE KEY-----",
        id="rsa-private-key",
    ),
    pytest.param(PRIVATE_KEY, "-----BEGIN OPENSSH " + "PRIVATE KEY-----", id="openssh-private-key"),
    pytest.param(PRIVATE_KEY, "-----BEGIN " + "PRIVATE KEY-----", id="pkcs8-private-key"),
    pytest.param(PRIVATE_KEY, "-----BEGIN PGP " + "PRIVATE KEY BLOCK-----", id="pgp-private-key"),
    pytest.param(
        PRIVATE_KEY, "-----begin rsa " + "private key-----\n" + pem_body(RSA_PKCS1), id="lower-case-pem"
    ),
    pytest.param(PRIVATE_KEY, "-----Begin Ec " + "Private Key-----", id="mixed-case-pem"),
    pytest.param(PRIVATE_KEY, "---- BEGIN SSH2 ENCRYPTED " + "PRIVATE KEY ----", id="ssh2-private-key"),
    pytest.param(PRIVATE_KEY, "PuTTY-User-" + "Key-File-3: ssh-ed25519", id="putty-private-key"),
    pytest.param(PRIVATE_KEY, pem_body(RSA_PKCS1), id="headerless-rsa-pkcs1"),
    pytest.param(PRIVATE_KEY, pem_body(RSA_PKCS8, seed=2), id="headerless-rsa-pkcs8"),
    pytest.param(PRIVATE_KEY, pem_body(EC_SEC1, 96, seed=3), id="headerless-ec-sec1"),
    pytest.param(PRIVATE_KEY, pem_body(EC_PKCS8, 100, seed=4), id="headerless-ec-pkcs8"),
    pytest.param(PRIVATE_KEY, pem_body(ED25519_PKCS8, 32, seed=5), id="headerless-ed25519"),
    pytest.param(PRIVATE_KEY, pem_body(ENCRYPTED_PKCS8, seed=6), id="headerless-encrypted-pkcs8"),
    pytest.param(PRIVATE_KEY, pem_body(DSA, seed=7), id="headerless-dsa"),
    pytest.param(PRIVATE_KEY, pem_body(RSA_PKCS1).replace("\n", ""), id="headerless-one-line"),
    pytest.param(
        PRIVATE_KEY,
        base64.b64encode(b"openssh-key-v1\x00" + random.Random(8).randbytes(300)).decode(),
        id="headerless-openssh",
    ),
    # credentials written as environment assignments, JSON, YAML and headers
    pytest.param(ASSIGNMENT, "POSTGRES_PASSWORD=" + "Pg" + filler(14), id="env-postgres-password"),
    pytest.param(ASSIGNMENT, "AWS_SECRET_ACCESS_KEY=" + filler(40, B64, seed=2), id="env-aws-secret"),
    pytest.param(ASSIGNMENT, "STRIPE_API_KEY=" + "sk" + "_test_" + filler(24, seed=3), id="env-stripe"),
    pytest.param(ASSIGNMENT, "client_secret=" + filler(32, seed=4), id="env-client-secret"),
    pytest.param(ASSIGNMENT, "passphrase=" + "tr0ub4dor&3", id="env-passphrase"),
    pytest.param(ASSIGNMENT, "export DB_PASS=" + "hunter22", id="env-db-pass"),
    pytest.param(ASSIGNMENT, "spring.datasource.password=" + "s3cr3t!", id="properties-password"),
    pytest.param(ASSIGNMENT, "password=" + "correct-horse-battery", id="password"),
    pytest.param(ASSIGNMENT, "Password: " + "hunter2hunter2", id="password-colon"),
    pytest.param(ASSIGNMENT, "passwd=" + "s3cr3tp4ss", id="passwd"),
    pytest.param(ASSIGNMENT, "api_key = " + filler(20, seed=6), id="api-key"),
    pytest.param(ASSIGNMENT, "API-KEY=" + filler(20, seed=7), id="api-dash-key"),
    pytest.param(ASSIGNMENT, "ACCESS_TOKEN: " + filler(20, seed=8), id="token"),
    pytest.param(ASSIGNMENT, "secret=" + filler(16, seed=10), id="secret"),
    pytest.param(ASSIGNMENT, '{"password": "' + "sunshine" + '"}', id="json-password"),
    pytest.param(ASSIGNMENT, '{"api_key": "' + filler(32, seed=11) + '"}', id="json-api-key"),
    pytest.param(ASSIGNMENT, '{"client_secret":"' + filler(24, seed=12) + '"}', id="json-compact"),
    pytest.param(ASSIGNMENT, '"{\\"token\\": \\"' + filler(24, seed=13) + '\\"}"', id="json-in-json"),
    pytest.param(ASSIGNMENT, "openai:\n  api_key: " + filler(40, seed=14), id="yaml"),
    pytest.param(
        "an authorization header",
        "Authorization: Bearer " + filler(40, URLSAFE, seed=15),
        id="authorization-bearer",
    ),
    pytest.param(
        "an authorization header",
        "curl -H 'authorization: basic " + base64.b64encode(b"brand:kit-2024").decode() + "'",
        id="authorization-basic",
    ),
    pytest.param("a bearer token", "Bearer " + filler(40, URLSAFE, seed=16), id="bearer"),
]


def spread(text: str, mark: str, every: int = 7) -> str:
    """The text with `mark` inserted after every `every` characters."""
    return mark.join(text[i : i + every] for i in range(0, len(text), every))


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
        assert find_secret(f'use my key "{key}" for this one') == AI_KEY

    def test_a_github_token_after_an_equals_sign_is_found_as_a_github_token(self):
        assert find_secret("GITHUB_TOKEN=" + "gh" + "p_" + filler(36)) == "a GitHub token"

    def test_a_key_glued_on_with_an_underscore_is_found(self):
        assert find_secret("OPENAI_KEY_" + OPENAI) == AI_KEY

    def test_a_credential_deep_inside_a_comfyui_workflow_is_found(self):
        workflow = json.loads(texts.comfy_workflow(50_000))
        workflow["nodes"][-1]["widgets_values"] = ["a castle, " + OPENAI]
        assert find_secret(json.dumps(workflow, separators=(",", ":"))) == AI_KEY


class TestInvisibleCharactersDoNotHideACredential:
    @pytest.mark.parametrize(
        "mark",
        [
            "\u200b",  # zero width space
            "\u200c",  # zero width non-joiner
            "\u200d",  # zero width joiner
            "\u2060",  # word joiner
            "\ufeff",  # byte order mark
            "\u00ad",  # soft hyphen
            "\u200e",  # left-to-right mark
            "\u202e",  # right-to-left override
            "\u2066",  # left-to-right isolate
            "\u180e",  # Mongolian vowel separator
            "\U000e0041",  # tag latin capital letter A
            "\u034f",  # combining grapheme joiner (not Cf, but invisible)
            "\ufe0f",  # variation selector 16
            "\u3164",  # Hangul filler
            "\u180f",  # Mongolian free variation selector four (not Cf; once missing from the guard's list)
            "\u180b",  # Mongolian free variation selector one
            "\U000e0100",  # variation selector 17
        ],
    )
    @pytest.mark.parametrize(
        ("kind", "secret"),
        [
            (AI_KEY, OPENAI),
            ("an Atelier API token", ATELIER),
            ("an AWS access key", "AK" + "IA" + filler(16, UPPER)),
        ],
    )
    def test_a_key_split_by_invisible_characters_is_found(self, mark, kind, secret):
        assert find_secret(f"a lighthouse at dusk, {spread(secret, mark)}, film grain") == kind

    def test_a_key_in_full_width_letters_is_found(self):
        wide = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in OPENAI)
        assert wide != OPENAI and find_secret(wide) == AI_KEY

    def test_a_private_key_header_split_by_zero_width_spaces_is_found(self):
        assert find_secret(spread("-----BEGIN RSA " + "PRIVATE KEY-----", "\u200b", 3)) == PRIVATE_KEY

    @pytest.mark.parametrize(
        ("kind", "secret"),
        [(ASSIGNMENT, "password=" + "hunter22"), (PRIVATE_KEY, "-----begin rsa " + "private key-----")],
    )
    def test_a_text_whose_lower_case_is_longer_is_scanned_too(self, kind, secret):
        # "İ" lower-cases to two characters, so the lower-case anchors cannot be used: the slow path runs
        assert find_secret(f"İstanbul at night, {secret}") == kind
        assert find_secret("İstanbul at night, a password: field") is None

    def test_the_scan_form_drops_only_invisible_characters(self):
        assert scan_form("👩\u200d🎨 a\u200bb, 1️⃣, 桜, ﬁne, ｓｋ") == "👩🎨 ab, 1⃣, 桜, fine, sk"
        assert scan_form("plain ASCII stays as it is") == "plain ASCII stays as it is"


class TestPrivateKeyBodies:
    @pytest.mark.parametrize(
        "head", [RSA_PKCS1, RSA_PKCS8, EC_SEC1, EC_PKCS8, ED25519_PKCS8, ENCRYPTED_PKCS8, DSA]
    )
    def test_private_key_openings_are_recognised(self, head):
        assert private_key_der(bytes.fromhex(head) + bytes(16))

    @pytest.mark.parametrize(
        "head", [RSA_SPKI, RSA_PUBLIC_PKCS1, EC_SPKI, CERTIFICATE, "3003020100", "00" * 20]
    )
    def test_public_keys_and_certificates_are_not_secrets(self, head):
        assert not private_key_der(bytes.fromhex(head) + bytes(16))
        assert find_secret(pem_body(head)) is None

    def test_a_public_key_and_a_certificate_with_their_headers_pass(self):
        for label, head in [
            ("PUBLIC KEY", RSA_SPKI),
            ("CERTIFICATE", CERTIFICATE),
            ("RSA PUBLIC KEY", RSA_PUBLIC_PKCS1),
        ]:
            block = f"-----BEGIN {label}-----\n{pem_body(head)}\n-----END {label}-----"
            assert find_secret(block) is None, label

    def test_an_ssh_public_key_passes(self):
        public = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + filler(43, B64) + " studio@atelier"
        assert find_secret(public) is None


class TestOrdinaryPromptsPass:
    @pytest.mark.parametrize(
        "prompt",
        [
            "portrait of an old fisherman, dramatic key light, rim light, 85mm, f/1.8",
            "a rusty skeleton key on a velvet cushion, macro photography, shallow depth of field",
            "password screen UI mockup for a banking app, clean flat design, light mode",
            "login page with a password field and a 'forgot password?' link, dribbble style",
            "keyboard with a glowing 'Enter password' prompt, moody desk setup",
            "sk8 park at dusk, teenagers on boards, film grain",
            "sk-ii skincare bottle product shot, studio lighting, white background",
            "API key icon set, flat vector, 24px grid",
            "access token concept art, a glowing ticket, futuristic",
            "brand palette #1A2B3C, #FF6600 and #00FFAA, minimalist poster, Swiss design",
            "seed: 1234567890, steps: 30, cfg: 7.5, sampler: DPM++ 2M Karras",
            "Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 3141592653, Size: 512x768, "
            "Model hash: 6ce0161689, Model: v1-5-pruned-emaonly",
            "Negative prompt: lowres, bad anatomy, bad hands, text, error, missing fingers, jpeg artifacts",
            "a sleek black sports car, AKIRA style, motion blur, neon Tokyo night",
            "ASIAN street food market at night, lanterns, steam rising, 35mm",
            "isometric room, 3d render, blender, octane, ray tracing, trending on artstation",
            "the word passwd on a hacker movie screen, matrix code rain",
            "a Slack-style chat UI mockup with xoxo sign-offs, pastel",
            "hugging face emoji 🤗 sticker, cute, die-cut",
            "AIza mountain range at sunrise, epic wide shot",
            "a cat named ghost_paws_the_magnificent, regal portrait, oil painting",
            "Atlanta skyline at night, ATL airport, jets taking off, long exposure",
            "a heart-shaped locket, token of friendship, vintage, sepia",
            'top secret: "classified", a dossier on a desk',
            "APEXPREDATOR logo, esports, bold",
            "ring bearer at a 2024 wedding, candid photo",
            "a mountain key: snowy peaks, a legend on an old map",
            "monkey: a capuchin in the rainforest, national geographic",
            "the turkey=thanksgiving dinner table, warm light",
            "session keynote slide, keynote: the future of design",
            "MODEL_KEY_LIGHT=soft, rim light, studio portrait",
        ],
    )
    def test_an_ordinary_image_prompt_holds_no_secret(self, prompt):
        assert find_secret(prompt) is None
        refuse_secrets(prompt, field="prompt")  # does not raise

    @pytest.mark.parametrize("prompt", texts.PROMPTS)
    def test_prompts_in_many_scripts_and_with_weights_loras_and_urls_pass(self, prompt):
        assert find_secret(prompt) is None

    @pytest.mark.parametrize("parameters", texts.A1111_LINES)
    def test_a1111_parameter_lines_pass(self, parameters):
        assert find_secret(parameters) is None

    def test_a_long_comfyui_workflow_passes(self):
        workflow = texts.comfy_workflow(200_000)
        assert len(workflow) >= 200_000
        assert find_secret(workflow) is None
        assert find_secret(json.dumps(json.loads(workflow), separators=(",", ":"))) is None

    def test_a_comfyui_api_graph_passes(self):
        assert find_secret(texts.comfy_api_prompt()) is None

    @pytest.mark.parametrize(
        "name",
        ["IMG_20240101_123456.png", "ComfyUI_00042_.png", "00001-3141592653.png", "sk-style-preview.webp"],
    )
    def test_ordinary_file_names_pass(self, name):
        assert find_secret(name) is None

    @pytest.mark.parametrize("prompt", ["", " ", "\n", "\u200b"])
    def test_empty_text_holds_no_secret(self, prompt):
        assert find_secret(prompt) is None

    @pytest.mark.parametrize(
        "prompt",
        [
            "password=abc",
            "Password: ******",
            "github_pat_ on a t-shirt",
            "sk_live_ vibes",
            "password=${DB_PASSWORD}",
            "api_key: <your key here>",
            "API_KEY=your_api_key_here",
            "token: {{ secrets.TOKEN }}",
            "Authorization: Bearer <token>",
            "Bearer YOUR_TOKEN_HERE",
            "https://user@example.com/profile",
            "https://example.com:8443/gallery@2x.png",
            "git@github.com:atelier/brand-kit.git",
        ],
    )
    def test_prefixes_and_placeholders_without_a_credential_pass(self, prompt):
        assert find_secret(prompt) is None

    @pytest.mark.parametrize(
        "prompt",
        [
            "top secret: classified documents on a desk, noir lighting, cigarette smoke",
            "a book cover titled 'The Secret: Unlocking Happiness', gold foil typography",
            "a password: field on a retro terminal, green phosphor glow",
            "password: protected vault door, bank heist movie still",
        ],
    )
    def test_a_secret_word_before_a_colon_in_a_prompt_passes(self, prompt):
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
        tail = secret.rstrip("-'\"}").splitlines()[-1][-10:]
        for text in (error.message, str(error), repr(error)):
            assert secret not in text
            assert tail not in text


@pytest.fixture
def unbound():
    """Nothing bound for one test, as in a process that never built the app's services."""
    before = prompt_guard.bound()
    prompt_guard.use(None)
    yield
    prompt_guard.use(before)


class TestWithNothingBound:
    @pytest.mark.parametrize(
        ("kind", "secret"),
        [
            (AI_KEY, OPENAI),
            ("an Atelier API token", ATELIER),
            (PRIVATE_KEY, "-----BEGIN RSA " + "PRIVATE KEY-----"),
            (PRIVATE_KEY, pem_body(RSA_PKCS1)),
            ("a JSON web token", JWT),
            (ASSIGNMENT, "AWS_SECRET_ACCESS_KEY=" + filler(40, B64, seed=2)),
            ("an authorization header", "Authorization: Bearer " + filler(40, URLSAFE)),
        ],
    )
    def test_the_domains_own_shapes_still_apply(self, unbound, kind, secret):
        assert find_secret(f"a poster, {secret}") == kind

    def test_the_vendors_catalogue_needs_the_bound_scanner(self, unbound):
        assert find_secret("gl" + "pat-" + filler(20, URLSAFE, seed=4)) is None
