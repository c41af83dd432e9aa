"""Value rules of the model: image sizes of aspect ratios, name keys, token usability."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.library.model import name_key
from domain.organisations.model import ApiToken
from domain.studio.model import AspectRatio
from tests.unit.fakes import EPOCH


class TestAspectRatioSizes:
    @pytest.mark.parametrize(
        ("ratio", "size"),
        [
            (AspectRatio.SQUARE, (1024, 1024)),
            (AspectRatio.LANDSCAPE, (1024, 576)),
            (AspectRatio.STORY, (576, 1024)),
            (AspectRatio.PORTRAIT, (819, 1024)),
            (AspectRatio.CLASSIC, (1024, 768)),
            (AspectRatio.PHOTO, (1024, 683)),
        ],
    )
    def test_the_long_side_is_1024_by_default(self, ratio, size):
        assert ratio.size() == size

    def test_the_long_side_can_be_chosen(self):
        assert AspectRatio.LANDSCAPE.size(1920) == (1920, 1080)
        assert AspectRatio.STORY.size(1920) == (1080, 1920)
        assert AspectRatio.SQUARE.size(512) == (512, 512)

    @pytest.mark.parametrize("ratio", list(AspectRatio))
    def test_the_size_keeps_the_orientation_of_the_ratio(self, ratio):
        w, h = (int(p) for p in ratio.value.split(":"))
        width, height = ratio.size()
        assert max(width, height) == 1024
        assert (width > height) == (w > h)
        assert (width == height) == (w == h)


class TestNameKeys:
    def test_a_name_key_is_casefolded(self):
        assert name_key("Summer") == "summer"
        assert name_key("STRASSE") == name_key("Straße") == "strasse"

    def test_a_name_key_is_stripped(self):
        assert name_key("  Summer Campaign \t\n") == "summer campaign"

    def test_inner_whitespace_is_one_space(self):  # the rule changed in 0004: tests/unit/test_names_review.py
        assert name_key("a  b") == "a b"

    def test_names_in_either_normal_form_have_one_key(self):
        assert name_key("café") == name_key("cafe\u0301") == name_key("CAFE\u0301") == name_key("CAF\u00c9")
        assert name_key("cafe\u0301") == "café"  # kept composed

    def test_the_key_is_the_canonical_caseless_match(self):
        # U+0345 folds to iota only once decomposed: the match Unicode defines (D145) needs NFD first
        assert name_key("\u1fb3") == name_key("\u03b1\u0345") == name_key("\u0391\u0399")
        assert name_key("ǅ") == name_key("Ǆ") == name_key("ǆ")

    def test_names_that_differ_by_more_than_normal_form_keep_their_own_keys(self):
        assert name_key("x²") != name_key("x2")  # compatibility forms stay apart (NFC, not NFKC)


def token(**values):
    defaults = dict(
        id=1,
        org_id=1,
        member_id=1,
        name="cli",
        token_hash="0" * 64,
        prefix="atl_abcdef",
        created_at=EPOCH,
        expires_at=None,
        revoked_at=None,
    )
    return ApiToken(**(defaults | values))


class TestTokenUsability:
    def test_a_token_without_expiry_or_revocation_is_usable(self):
        assert token().is_usable(EPOCH + timedelta(days=10_000))

    def test_a_token_is_usable_strictly_before_its_expiry(self):
        expiring = token(expires_at=EPOCH + timedelta(hours=1))
        assert expiring.is_usable(EPOCH + timedelta(minutes=59))
        assert not expiring.is_usable(EPOCH + timedelta(hours=1))

    def test_a_revoked_token_is_not_usable(self):
        assert not token(revoked_at=EPOCH).is_usable(EPOCH - timedelta(days=1))
