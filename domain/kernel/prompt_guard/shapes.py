"""The credential shapes the guard knows itself, beside the bound scanner's catalogue of vendors' keys.

Ours are the shapes no maintained detector set covers well: AI providers' keys
(detect-secrets knows only OpenAI's legacy form), our own `atl_` tokens, private
keys in lower case or without their header, and credentials written as
assignments (`POSTGRES_PASSWORD=...`, `"api_key": "..."`, `Authorization: Bearer ...`).

Each shape is specific (a known prefix, a known structure, or a secret-sounding
name followed by a value that looks like a credential), because ordinary prompts
must pass: "top secret: classified documents", `(masterpiece:1.2)`,
`<lora:sk-style:0.8>`, a ComfyUI workflow, an A1111 parameter line.

Speed: texts run to 200 KB (a workflow) and may be crafted ("sk-" or "key=" ten
thousand times), so the time must stay linear in the length. Every pattern opens
with a literal the regex engine can search for, and "not glued to a letter" is
checked after it; a run is entered only at its start, or consumed possessively, or
bounded; case-insensitive shapes are looked for in the lower-cased text first (an
anchor) and tried only where it is found, with every repetition bounded.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

from domain.kernel.access import TOKEN_PREFIX

_ASCII_ALNUM = frozenset(string.ascii_letters + string.digits)


class Scanned:
    """One text being scanned, with its lower-cased form made once, when a shape first needs it."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lower(self) -> str | None:
        """The text lower-cased, or None when that moved characters (a few non-ASCII letters grow)."""
        lower = self.text.lower()
        return lower if len(lower) == len(self.text) else None


@dataclass(frozen=True, slots=True)
class Shape:
    """A kind of credential: a pattern, optionally a check of each match, optionally a lower-case anchor.

    With an anchor the pattern is tried only where the anchor occurs in the lower-cased
    text, starting there (`pattern.match`); this keeps case-insensitive shapes fast.
    """

    kind: str
    pattern: re.Pattern[str]
    check: Callable[[re.Match[str]], bool] | None = None
    anchor: re.Pattern[str] | None = None

    def found_in(self, scanned: Scanned) -> bool:
        """Whether the text holds this shape."""
        text = scanned.text
        if self.anchor is None or scanned.lower is None:
            if self.check is None:
                return self.pattern.search(text) is not None
            return any(self.check(m) for m in self.pattern.finditer(text))
        for hit in self.anchor.finditer(scanned.lower):
            m = self.pattern.match(text, hit.start())
            if m is not None and (self.check is None or self.check(m)):
                return True
        return False


def first_kind(shapes: Sequence[Shape], scanned: Scanned) -> str | None:
    """The kind of the first shape found in the text, or None."""
    for shape in shapes:
        if shape.found_in(scanned):
            return shape.kind
    return None


def free_start(m: re.Match[str]) -> bool:
    """The match is not glued onto a letter or digit before it (a "_" or "-" before it is fine)."""
    return m.start() == 0 or m.string[m.start() - 1] not in _ASCII_ALNUM


def _standalone(literal: str) -> str:
    """A literal not glued onto a letter or digit: the literal first, so the engine can search for it."""
    quoted = re.escape(literal)
    return rf"{quoted}(?<![A-Za-z0-9]{quoted})"


def looks_generated(value: str, *, min_length: int = 8) -> bool:
    """A value shaped like a credential rather than a word: letters and digits, or mixed case when long."""
    if len(value) < min_length:
        return False
    has_digit = any(c.isdigit() for c in value)
    has_upper = any(c.isupper() for c in value)
    has_lower = any(c.islower() for c in value)
    return (has_digit and (has_upper or has_lower)) or (len(value) >= 16 and has_upper and has_lower)


# --- keys by their prefix -------------------------------------------------------------------------

# OpenAI (sk-proj-, sk-svcacct-, sk-admin-, legacy sk-), Anthropic (sk-ant-api03-), and the many
# providers that copied the sk- form (Stability, DeepSeek, OpenRouter's sk-or-v1-). A bare sk- needs
# a run of 32+ letters and digits holding 2+ digits: LoRA names such as <lora:sk-style:0.8> or
# sk-detailed_skin_texture_v2 are words joined by "_" and "-", not one random run.
_SK = re.compile(
    _standalone("sk-")
    + r"(?:(?:proj|svcacct|admin|ant-(?:api|admin|sid)\d\d)-[A-Za-z0-9_-]{40,}+"
    + r"|(?P<bare>[A-Za-z0-9_-]{32,}+))"
)
_RANDOM_RUN = re.compile(r"[A-Za-z0-9]{32,}")


def _sk_key(m: re.Match[str]) -> bool:
    bare = m.group("bare")
    if bare is None or "T3BlbkFJ" in bare:  # OpenAI's legacy keys hold base64 of "OpenAI"
        return True
    return any(sum(c.isdigit() for c in run.group()) >= 2 for run in _RANDOM_RUN.finditer(bare))


# JSON web tokens: base64url of a JSON header, ".", base64url of a JSON payload; entered only at the
# start of a run, so that "eyJeyJeyJ..." costs one pass
_JWT = re.compile(r"eyJ(?<![A-Za-z0-9_-]eyJ)[A-Za-z0-9_-]{4,}+={0,2}\.[A-Za-z0-9_-]{4,}+")


def _jwt(m: re.Match[str]) -> bool:
    for part in m.group().split(".")[:2]:
        try:
            if not isinstance(json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))), dict):
                return False
        except (binascii.Error, ValueError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            return False
    return True


# Atelier tokens are "atl_" and 43 url-safe characters (domain/tokens.py). Standing alone the shape
# is enough; glued to other text ("myatl_..." or "...<43>more") the 43 must also look random, so
# that a name like Nahuatl_glyphs_and_codices_of_the_valley_of_mexico passes.
_ATELIER = re.compile(re.escape(TOKEN_PREFIX) + r"(?P<body>[A-Za-z0-9_-]{43})(?P<after>[A-Za-z0-9_-])?")


def _atelier_token(m: re.Match[str]) -> bool:
    if free_start(m) and m.group("after") is None:
        return True
    body = m.group("body")
    return any(c.isdigit() for c in body) and body.lower() != body and body.upper() != body


# --- private keys ---------------------------------------------------------------------------------

_PEM_HEADER = re.compile(r"-{3,}+\s{0,8}begin\s{1,8}[a-z0-9 ]{0,40}private\s{1,8}key", re.IGNORECASE)
_PUTTY = re.compile(r"putty-user-key-file-\d", re.IGNORECASE)
# a private key's body without its header: base64 of DER that opens like a private key (below),
# or OpenSSH's "openssh-key-v1" magic
_DER_BODY = re.compile(r"M(?<![A-Za-z0-9+/]M)[A-Za-z0-9+/]{59,}+")
_OPENSSH_BODY = re.compile(r"b3BlbnNzaC1rZXktdjE")
# PKCS#5 (PBES1, PBES2) and PKCS#12 password-based encryption OIDs: 1.2.840.113549.1.5 and .1.12.1
_PBE_OIDS = (b"\x2a\x86\x48\x86\xf7\x0d\x01\x05", b"\x2a\x86\x48\x86\xf7\x0d\x01\x0c\x01")


def private_key_der(head: bytes) -> bool:
    """Whether DER bytes open like a private key: PKCS#1 (RSA, DSA), SEC1 (EC), PKCS#8, encrypted PKCS#8.

    Public keys, certificates and signatures open differently (an INTEGER that is not
    a version, a SEQUENCE that is not a password-based encryption), so they pass.
    """
    if len(head) < 8 or head[0] != 0x30:  # a SEQUENCE
        return False
    size = head[1]
    if size & 0x80 and not 1 <= size & 0x7F <= 3:
        return False
    body = head[2 + (size & 0x7F if size & 0x80 else 0) :]
    # version 0 or 1, then the modulus (RSA, DSA), the key octets (EC), or the algorithm (PKCS#8)
    if body[:3] in (b"\x02\x01\x00", b"\x02\x01\x01") and body[3:4] in (b"\x02", b"\x04", b"\x30"):
        return True
    # EncryptedPrivateKeyInfo: SEQUENCE { SEQUENCE { OID of a password-based encryption ...
    return body[:1] == b"\x30" and any(oid in body[:16] for oid in _PBE_OIDS)


def _der_body(m: re.Match[str]) -> bool:
    try:
        return private_key_der(base64.b64decode(m.group()[:24]))
    except (binascii.Error, ValueError):
        return False


# --- credentials written as assignments -----------------------------------------------------------

# a secret-sounding name (as an env variable, a config key, a JSON key: POSTGRES_PASSWORD,
# client_secret, "api_key", AWS_SECRET_ACCESS_KEY), then = : := => and the value
_NAMES = (
    r"(?P<name>pass(?:word|wd|phrase)?|pwd|secret|token|credentials?|api[_-]?key|apikey"
    r"|(?:access|private|auth|client|signing|encryption|master|session|license)[_-]?key|key)"
)
_ASSIGNMENT = re.compile(
    _NAMES + r"(?:[_.-][A-Za-z0-9]{1,32}){0,3}"
    r"""(?:\\?["'])?\]?\s{0,16}(?P<sep>:=|=>|=|:)\s{0,16}(?P<quote>\\?["'`])?(?P<value>[^\s"'`,;\\]{1,256})""",
    re.IGNORECASE,
)
_NAME_ANCHOR = re.compile(
    r"pass|pwd|secret|token|credential|api|access|private|auth|client|signing|encryption|master|session"
    r"|license|key"
)
_PLACEHOLDER_START = tuple("$<{%[(")  # ${DB_PASSWORD}, <your key>, {{ secret }}, %(pw)s: not secrets
_MASK = set("*•x.-_#?")


def _assignment(m: re.Match[str]) -> bool:
    if not free_start(m):
        return False
    name = m.group("name").lower()
    before = m.string[m.start() - 1] if m.start() else ""
    if (name == "pass" and before not in "_.-") or (name == "key" and before not in "_."):
        return False  # DB_PASS and OPENAI.KEY, not "pass:" or "key:" in prose
    value = m.group("value")
    if value.startswith(_PLACEHOLDER_START) or set(value.lower()) <= _MASK:
        return False
    if not name.startswith(("pass", "pwd")):
        return looks_generated(value)
    if len(value) < 6 or not any(c.isalnum() for c in value):
        return False
    # "a password: field on a terminal" is prose; "password=sunshine" or "password": "sunshine" is not
    prose_word = value.isalpha() and value[1:].islower()
    return not (prose_word and m.group("sep") == ":" and m.group("quote") is None)


_AUTHORIZATION = re.compile(
    r"""authorization(?:\\?["'])?\s{0,16}[:=]\s{0,16}(?:\\?["'])?"""
    r"(?:bearer|basic|token|bot|digest|apikey|api-key)\s{1,16}(?P<value>[A-Za-z0-9._~+/=-]{8,256})",
    re.IGNORECASE,
)
_BEARER = re.compile(r"bearer\s{1,16}(?P<value>[A-Za-z0-9._~+/-]{16,256}={0,4})", re.IGNORECASE)


def _header_value(m: re.Match[str]) -> bool:
    return free_start(m) and looks_generated(m.group("value"))


# More AI providers' keys, each a prefix and a long random run (a model name such as xai-grok-2 or
# pplx-70b-online is short words, not one run): xAI (xai-, 80), Groq (gsk_, 52), Perplexity
# (pplx-, 48), NVIDIA (nvapi-, 64), Tavily (tvly-, tvly-dev-, 32), LangSmith (lsv2_pt_/lsv2_sk_,
# 32 hex, _, 10 hex)
_AI_KEYS = re.compile(
    "(?:"
    + "|".join(
        (
            _standalone("xai-") + r"[A-Za-z0-9]{60,}+",
            _standalone("gsk_") + r"[A-Za-z0-9]{48,}+",
            _standalone("pplx-") + r"[A-Za-z0-9]{40,}+",
            _standalone("nvapi-") + r"[A-Za-z0-9_-]{50,}+",
            _standalone("tvly-") + r"(?:dev-|prod-)?[A-Za-z0-9]{30,}+",
            _standalone("lsv2_") + r"(?:pt|sk)_[A-Fa-f0-9]{32}_[A-Fa-f0-9]{10}",
        )
    )
    + r")(?![A-Za-z0-9])"
)


def _random_run(m: re.Match[str]) -> bool:
    # a key's run mixes digits and letters; a long word after the prefix does not
    run = re.split("[-_]", m.group(), maxsplit=1)[1]
    return any(c.isdigit() for c in run) and any(c.isalpha() for c in run)


# fal.ai keys: a UUID, ":" and 32 hex digits; the ":" is the literal the engine searches for, the
# UUID is checked behind it at a fixed width
_FAL = re.compile(
    r":(?<=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:)"
    r"[0-9a-fA-F]{32}(?![0-9A-Za-z])"
)


def _fal_key(m: re.Match[str]) -> bool:
    start = m.start() - 36
    return start == 0 or m.string[start - 1] not in _ASCII_ALNUM


# a URL with a password and no user name (redis://:secret@host); detect-secrets asks for a user
_URL_PASSWORD = re.compile(r"://:(?P<value>[^\s@/?#:]{1,256})@")


def _url_password(m: re.Match[str]) -> bool:
    value = m.group("value")
    return not value.startswith(_PLACEHOLDER_START) and not set(value.lower()) <= _MASK


# Discord webhooks: whoever has the URL posts to the channel
_DISCORD_WEBHOOK = re.compile(
    r"discord(?:app)?\.com/api/(?:v\d{1,2}/)?webhooks/\d{15,25}/[A-Za-z0-9_-]{40,}+"
)

# the shapes that name one issuer: asked before the bound scanner, so that their kind is reported
SPECIFIC: tuple[Shape, ...] = (
    Shape("an AI provider's API key", _SK, _sk_key),
    Shape("a Google API key", re.compile(_standalone("AIza") + r"[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])")),
    Shape("a Hugging Face token", re.compile(_standalone("hf_") + r"[A-Za-z0-9]{30,}(?![A-Za-z0-9])")),
    Shape("a Replicate token", re.compile(_standalone("r8_") + r"[A-Za-z0-9]{37}(?![A-Za-z0-9])")),
    Shape("an AI provider's API key", _AI_KEYS, _random_run),
    Shape("a fal.ai key", _FAL, _fal_key),
    Shape("a Discord webhook URL", _DISCORD_WEBHOOK),
    Shape("a URL with a password", _URL_PASSWORD, _url_password),
    Shape("an Atelier API token", _ATELIER, _atelier_token),
    Shape("a JSON web token", _JWT, _jwt),
    # fine-grained GitHub tokens; detect-secrets knows only the classic ghp_/gho_/ghu_/ghs_/ghr_ ones
    Shape("a GitHub token", re.compile(_standalone("github_pat_") + r"[A-Za-z0-9_]{40,}+")),
    Shape("an npm token", re.compile(_standalone("npm_") + r"[A-Za-z0-9]{36}(?![A-Za-z0-9])")),
    Shape("an npm token", re.compile(r"_authToken[ \t]{0,8}=[ \t]{0,8}(?:npm_|[A-Fa-f0-9-]{36})")),  # .npmrc
    Shape("a private key", _PEM_HEADER, anchor=re.compile("-{3,}")),
    Shape("a private key", _PUTTY, anchor=re.compile("putty-")),
    Shape("a private key", _OPENSSH_BODY),
    Shape("a private key", _DER_BODY, _der_body),
)
# the shapes that say only "a credential is written here": asked after the bound scanner
GENERIC: tuple[Shape, ...] = (
    Shape("an authorization header", _AUTHORIZATION, _header_value, anchor=re.compile("authorization")),
    Shape("a bearer token", _BEARER, _header_value, anchor=re.compile("bearer")),
    Shape("a password or secret assignment", _ASSIGNMENT, _assignment, anchor=_NAME_ANCHOR),
)
