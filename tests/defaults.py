"""The default values of test data, written once for both builders.

`tests.builders.Tenant` (rows in SQL, through `storage.demo.seeding`) and
`tests.unit.fakes.FakeTenant` (rows in a FakeUnitOfWork) lay down the same rows from
these values: a test that leaves a field out gets the same value over SQL and over
the fakes. A test that depends on a value passes it, or names it from here
(`defaults.PROMPT`), rather than relying on it silently.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from domain.organisations.model import DEFAULT_CREDIT_BUDGET, DEFAULT_STORAGE_QUOTA_BYTES
from domain.studio.model import AspectRatio, ReviewState


def blob_key() -> str:
    """A content key no other row uses: the blob queries and sweeps span organisations."""
    return secrets.token_hex(32)


ORGANISATION: dict[str, Any] = {
    "storage_quota_bytes": DEFAULT_STORAGE_QUOTA_BYTES,
    "credit_budget": DEFAULT_CREDIT_BUDGET,
    "require_approval": True,
    "require_alt_text": True,
}
"""An organisation's columns besides slug and name (its name defaults to the slug, titled)."""

SESSION_TITLE = "Shoot"
SESSION: dict[str, Any] = {
    "platform": None,
    "brand_kit_id": None,
    "aspect_ratio": AspectRatio.SQUARE,
    "created_by_id": None,
}
"""A session's columns besides title; it is open unless `closed_at` is given."""

PROMPT = "a red fox in snow"
GENERATION_RETENTION = timedelta(days=30)
"""A generation expires this long after it is made, unless `expires_at` is given."""
GENERATION: dict[str, Any] = {
    "negative_prompt": "",
    "width": 1024,
    "height": 1024,
    "provider": "procedural",
    "model": "procedural-v1",
    "seed": 7,
    "credits_used": 1,
    "review_state": ReviewState.PENDING,
    "mime_type": "image/png",
    "byte_size": 1000,
}
"""A generation's columns besides its session's (platform, brand kit, aspect ratio,
creator), prompt, blob key (fresh: `blob_key()`) and expiry."""

ASSET_NAME = "Reference"
ASSET: dict[str, Any] = {
    "description": "",
    "alt_text": "",
    "folder_id": None,
    "mime_type": "image/png",
    "byte_size": 500,
    "width": 64,
    "height": 64,
    "ai_generated": False,
}
"""An asset's columns besides name and blob key (fresh: `blob_key()`)."""

FOLDER_NAME = "Campaigns"
PROJECT_NAME = "Summer sale"
BRAND_KIT_NAME = "Sunny"
BRAND_KIT_COLORS = ("#FFCC00",)

UPLOAD_RETENTION = timedelta(days=1)
"""An upload expires this long after it is received, unless `expires_at` is given."""
UPLOAD: dict[str, Any] = {
    "mime_type": "image/png",
    "byte_size": 2000,
    "width": 1080,
    "height": 1350,
    "filename": "fox.png",
    "prompt": "",
    "negative_prompt": "",
    "seed": None,
    "model": "",
    "tool": None,
    "consumed_at": None,
}
"""An upload's columns besides its organisation, member, blob key (fresh) and times."""

TARGET_REF = "https://cms.example.com/posts/summer-sale"
"""Where a placement puts its asset: a CMS post's URL."""
