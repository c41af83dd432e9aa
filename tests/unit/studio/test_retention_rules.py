"""Pure Studio rules: when generations expire, shapes and sizes, default names, file names, save options."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from domain.kernel.errors import ErrorCode, InvalidInput, LimitExceeded
from domain.library.saving import MAX_PROJECTS, MAX_TAG, MAX_TAGS, SaveOptions, default_name
from domain.studio.model import AspectRatio, Generation, ReviewNotes, ReviewState, nearest_ratio
from domain.studio.retention import RetentionPolicy
from domain.studio.uploads import MAX_FILENAME, clean_filename
from tests.unit.fakes import EPOCH

DAY = timedelta(days=1)
POLICY = RetentionPolicy()


class TestWhenAGenerationExpires:
    def test_the_default_policy_is_seven_days_after_close_and_thirty_days_at_most(self):
        assert (POLICY.after_close, POLICY.max_age) == (7 * DAY, 30 * DAY)

    def test_a_kept_generation_never_expires(self):
        assert POLICY.expiry(created_at=EPOCH, closed_at=None, kept=True) is None
        assert POLICY.expiry(created_at=EPOCH, closed_at=EPOCH + DAY, kept=True) is None

    def test_in_an_open_session_it_expires_at_the_maximum_age(self):
        assert POLICY.expiry(created_at=EPOCH, closed_at=None, kept=False) == EPOCH + 30 * DAY

    def test_in_a_session_closed_soon_after_it_expires_a_week_after_the_close(self):
        closed = EPOCH + 2 * DAY
        assert POLICY.expiry(created_at=EPOCH, closed_at=closed, kept=False) == closed + 7 * DAY

    def test_in_a_session_closed_late_the_maximum_age_comes_first(self):
        closed = EPOCH + 28 * DAY
        assert POLICY.expiry(created_at=EPOCH, closed_at=closed, kept=False) == EPOCH + 30 * DAY

    def test_when_both_limits_fall_together_that_moment_is_the_expiry(self):
        closed = EPOCH + 23 * DAY
        assert POLICY.expiry(created_at=EPOCH, closed_at=closed, kept=False) == EPOCH + 30 * DAY

    def test_a_custom_policy_is_followed(self):
        policy = RetentionPolicy(after_close=timedelta(hours=1), max_age=timedelta(hours=5))
        assert policy.expiry(created_at=EPOCH, closed_at=None, kept=False) == EPOCH + timedelta(hours=5)
        closed = EPOCH + timedelta(hours=2)
        assert policy.expiry(created_at=EPOCH, closed_at=closed, kept=False) == EPOCH + timedelta(hours=3)


def generation(**changes: object) -> Generation:
    base = Generation(
        id=1,
        org_id=1,
        session_id=1,
        prompt="a fox",
        negative_prompt="",
        platform=None,
        brand_kit_id=None,
        aspect_ratio=AspectRatio.SQUARE,
        width=1024,
        height=1024,
        provider="procedural",
        model="m",
        seed=1,
        credits_used=1,
        review_state=ReviewState.PENDING,
        review=ReviewNotes(),
        reviewed_by_id=None,
        reviewed_at=None,
        saved_asset_id=None,
        blob_key="k",
        mime_type="image/png",
        byte_size=1,
        created_by_id=None,
        created_at=EPOCH,
        expires_at=None,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


class TestWhichGenerationsAreKept:
    def test_a_pending_unsaved_generation_is_not_kept(self):
        assert not generation().kept

    def test_an_approved_generation_is_kept(self):
        assert generation(review_state=ReviewState.APPROVED).kept

    def test_a_saved_generation_is_kept(self):
        assert generation(saved_asset_id=9).kept

    def test_a_rejected_unsaved_generation_is_not_kept(self):
        assert not generation(review_state=ReviewState.REJECTED).kept


class TestTheNearestAspectRatio:
    @pytest.mark.parametrize(
        ("width", "height", "ratio"),
        [
            (1024, 1024, AspectRatio.SQUARE),
            (1080, 1350, AspectRatio.PORTRAIT),
            (1920, 1080, AspectRatio.LANDSCAPE),
            (1080, 1920, AspectRatio.STORY),
            (1600, 1200, AspectRatio.CLASSIC),
            (1500, 1000, AspectRatio.PHOTO),
            (96, 64, AspectRatio.PHOTO),
            (1, 10000, AspectRatio.STORY),
            (10000, 1, AspectRatio.LANDSCAPE),
            (1000, 1001, AspectRatio.SQUARE),
        ],
    )
    def test_common_sizes_map_to_their_ratio(self, width, height, ratio):
        assert nearest_ratio(width, height) is ratio

    def test_a_zero_height_does_not_divide_by_zero(self):
        assert nearest_ratio(100, 0) is AspectRatio.LANDSCAPE

    @pytest.mark.parametrize("ratio", list(AspectRatio))
    def test_each_ratio_is_nearest_to_its_own_size(self, ratio):
        assert nearest_ratio(*ratio.size()) is ratio


class TestTheSizeOfARatio:
    @pytest.mark.parametrize(
        ("ratio", "size"),
        [
            (AspectRatio.SQUARE, (1024, 1024)),
            (AspectRatio.PORTRAIT, (819, 1024)),
            (AspectRatio.LANDSCAPE, (1024, 576)),
            (AspectRatio.STORY, (576, 1024)),
            (AspectRatio.CLASSIC, (1024, 768)),
            (AspectRatio.PHOTO, (1024, 683)),
        ],
    )
    def test_the_longer_side_is_1024_by_default(self, ratio, size):
        assert ratio.size() == size

    @pytest.mark.parametrize("ratio", list(AspectRatio))
    def test_the_longer_side_is_the_one_asked_for(self, ratio):
        assert max(ratio.size(640)) == 640


class TestTheDefaultAssetName:
    def test_a_short_prompt_gives_its_first_clause_capitalised(self):
        assert default_name("a red fox in the snow, golden hour, 8k") == "A red fox in the snow"

    @pytest.mark.parametrize(
        ("prompt", "name"),
        [
            ("sunset over the sea. wide shot", "Sunset over the sea"),
            ("a cabin; snow falling", "A cabin"),
            ("a lighthouse\nat dusk", "A lighthouse"),
            ("  a fox  ", "A fox"),
            ("élan vital, abstract", "Élan vital"),
        ],
    )
    def test_the_first_clause_ends_at_a_comma_full_stop_semicolon_or_line_break(self, prompt, name):
        assert default_name(prompt) == name

    def test_a_clause_of_exactly_eighty_characters_is_kept_whole(self):
        prompt = ("a quiet harbour town " * 5)[:80]
        assert len(prompt) == 80
        assert default_name(prompt) == "A" + prompt[1:]

    def test_a_long_prompt_is_cut_at_a_word_boundary_with_an_ellipsis(self):
        prompt = (
            "an astronaut riding a horse across the surface of the moon under a sky full of stars and comets"
        )
        name = default_name(prompt)
        assert name == "An astronaut riding a horse across the surface of the moon under a sky full of…"
        assert len(name) <= 81
        body = name.removesuffix("…")
        assert prompt[len(body)] == " "  # cut between words, not inside one

    def test_a_long_word_without_spaces_is_cut_at_eighty_characters(self):
        assert default_name("x" * 100) == "X" + "x" * 79 + "…"

    def test_a_prompt_that_opens_with_a_comma_keeps_its_text(self):
        assert default_name(", a fox") == "A fox"

    @pytest.mark.parametrize("prompt", ["", "   ", "\n"])
    def test_an_empty_or_blank_prompt_still_gives_a_name(self, prompt):
        assert default_name(prompt) == "Untitled generation"

    @pytest.mark.parametrize(
        ("prompt", "name"),
        [
            ("3.5 inch floppy disk on a wooden desk", "3.5 inch floppy disk on a wooden desk"),
            ("(masterpiece:1.2), a red fox in the snow", "A red fox in the snow"),
            ("<lora:fox:0.8> a red fox, snow", "A red fox"),
        ],
    )
    def test_a_decimal_number_does_not_end_the_clause(self, prompt, name):
        assert default_name(prompt) == name


class TestCleaningAnUploadedFileName:
    @pytest.mark.parametrize("name", [None, ""])
    def test_no_name_gives_an_empty_name(self, name):
        assert clean_filename(name) == ""

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("fox.png", "fox.png"),
            ("../../etc/passwd", "passwd"),
            ("/var/tmp/fox.png", "fox.png"),
            ("C:\\Users\\me\\Pictures\\fox.png", "fox.png"),
            ("a/b\\c.png", "c.png"),
            ("\\\\server\\share\\fox.png", "fox.png"),
        ],
    )
    def test_directories_of_either_slash_are_dropped(self, given, kept):
        assert clean_filename(given) == kept

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("fo\x00x.png", "fox.png"),
            ("fo\x07x\x1b.png", "fox.png"),
            ("line\nbreak\r.png", "linebreak.png"),
            ("tab\there.png", "tabhere.png"),
            ("del\x7f.png", "del.png"),
            ('a<b>c:d"e|f?g*h.png', "abcdefgh.png"),
            ("file\u202egnp.exe", "filegnp.exe"),
        ],
    )
    def test_nul_control_and_reserved_characters_are_removed(self, given, kept):
        assert clean_filename(given) == kept

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("...hidden.png...", "hidden.png"),
            ("  spaced.png  ", "spaced.png"),
            (". .fox. .", "fox"),
            ("..", ""),
            ("dir/", ""),
        ],
    )
    def test_leading_and_trailing_dots_and_spaces_are_stripped(self, given, kept):
        assert clean_filename(given) == kept

    def test_a_long_name_is_cut_to_255_characters(self):
        assert clean_filename("x" * 300) == "x" * MAX_FILENAME

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("n" * 300 + ".png", "n" * 251 + ".png"),
            ("é" * 200 + ".jpg", "é" * 125 + ".jpg"),  # 2 bytes each: 254 bytes with the extension
            ("😊" * 100, "😊" * 63),  # never half a character
        ],
    )
    def test_a_long_name_is_cut_to_255_bytes_keeping_its_extension(self, given, kept):
        assert clean_filename(given) == kept and len(kept.encode()) <= MAX_FILENAME

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("%2e%2e%2fetc%2fpasswd", "passwd"),
            ("%252e%252e%252fetc%252fpasswd", "passwd"),
            ("..%5c..%5cwin.ini", "win.ini"),
            ("%E2%80%AEgnp.exe", "gnp.exe"),
            ("100%.png", "100%.png"),
            ("%zz.png", "%zz.png"),
        ],
    )
    def test_percent_escapes_are_undone_before_the_path_is_dropped(self, given, kept):
        assert clean_filename(given) == kept

    @pytest.mark.parametrize(
        ("given", "kept"),
        [
            ("CON", "_CON"),
            ("con.png", "_con.png"),
            ("LPT1.tar.gz", "_LPT1.tar.gz"),
            ("nul .png", "_nul .png"),
        ],
    )
    def test_windows_device_names_are_never_kept_as_they_are(self, given, kept):
        assert clean_filename(given) == kept

    @pytest.mark.parametrize("name", ["CONSOLE.png", "icon.png", "aux-cable.jpg", "COM10.png"])
    def test_names_that_only_start_like_a_device_are_kept(self, name):
        assert clean_filename(name) == name

    @pytest.mark.parametrize("name", ["ロゴ_最終版.png", "café 😊.png", "Ωμέγα-final (2).webp", "صورة.jpg"])
    def test_unicode_names_are_kept(self, name):
        assert clean_filename(name) == name

    def test_a_name_cut_to_length_still_ends_without_a_dot_or_space(self):
        assert not clean_filename("a" * 254 + ".png").endswith((".", " "))


class TestCheckingSaveOptions:
    def test_tags_are_deduplicated_regardless_of_case_keeping_the_first_spelling(self):
        options = SaveOptions(tags=("Summer", "summer", "SUMMER ", " Hero", "hero", "Straße", "STRASSE"))
        assert options.checked().tags == ("Summer", "Hero", "Straße")

    def test_names_and_descriptions_are_stripped_and_the_rest_kept(self):
        options = SaveOptions(
            folder_id=3,
            project_ids=(5, 4),
            name="  Hero  ",
            description=" line one\nline two ",
            alt_text=" x ",
        )
        assert options.checked() == SaveOptions(
            folder_id=3, project_ids=(5, 4), name="Hero", description="line one\nline two", alt_text=" x "
        )

    def test_checking_twice_changes_nothing_more(self):
        once = SaveOptions(tags=(" a", "A", "b"), name=" n ").checked()
        assert once.checked() == once

    def test_the_maximum_numbers_of_tags_and_projects_are_accepted(self):
        options = SaveOptions(
            tags=tuple(f"tag{i}" for i in range(MAX_TAGS)), project_ids=tuple(range(1, MAX_PROJECTS + 1))
        )
        assert len(options.checked().tags) == MAX_TAGS

    def test_too_many_tags_are_refused_as_a_limit(self):
        with pytest.raises(LimitExceeded) as caught:
            SaveOptions(tags=tuple(f"tag{i}" for i in range(MAX_TAGS + 1))).checked()
        assert (caught.value.code, caught.value.field) == (ErrorCode.LIMIT_EXCEEDED, "tags")

    def test_too_many_projects_are_refused_as_a_limit(self):
        with pytest.raises(LimitExceeded) as caught:
            SaveOptions(project_ids=tuple(range(1, MAX_PROJECTS + 2))).checked()
        assert caught.value.field == "projectIds"

    def test_a_project_listed_twice_is_refused(self):
        with pytest.raises(InvalidInput) as caught:
            SaveOptions(project_ids=(4, 5, 4)).checked()
        assert (caught.value.code, caught.value.field) == (ErrorCode.INVALID_INPUT, "projectIds")

    @pytest.mark.parametrize(
        "bad", ["sum\x00mer", "", "   ", "two\nlines", "x" * (MAX_TAG + 1), "bell\x07"], ids=repr
    )
    def test_a_bad_tag_is_refused_naming_its_index(self, bad):
        with pytest.raises(InvalidInput) as caught:
            SaveOptions(tags=("fine", "also fine", bad)).checked()
        assert caught.value.field == "tags[2]"

    def test_a_tag_of_the_maximum_length_is_accepted(self):
        assert SaveOptions(tags=("x" * MAX_TAG,)).checked().tags == ("x" * MAX_TAG,)

    @pytest.mark.parametrize("name", ["", "   ", "a\nb", "n" * 201])
    def test_a_given_name_must_be_one_non_empty_line_of_at_most_200_characters(self, name):
        with pytest.raises(InvalidInput) as caught:
            SaveOptions(name=name).checked()
        assert caught.value.field == "name"

    def test_a_description_over_2000_characters_is_refused(self):
        with pytest.raises(InvalidInput) as caught:
            SaveOptions(description="d" * 2001).checked()
        assert caught.value.field == "description"


class TestTheFingerprintOfASave:
    def test_it_is_a_sha256_hex_digest(self):
        fingerprint = SaveOptions().fingerprint([1])
        assert re.fullmatch(r"[0-9a-f]{64}", fingerprint)

    def test_it_is_stable_for_the_same_input(self):
        options = SaveOptions(folder_id=1, tags=("a",), name="n", description="d", alt_text="t")
        assert options.fingerprint([1, 2]) == replace(options).fingerprint([1, 2])

    def test_it_ignores_the_order_and_case_of_tags(self):
        assert SaveOptions(tags=("Summer", "hero")).fingerprint([1]) == SaveOptions(
            tags=("HERO", "summer")
        ).fingerprint([1])

    def test_it_ignores_the_order_of_projects(self):
        assert SaveOptions(project_ids=(1, 2)).fingerprint([1]) == SaveOptions(
            project_ids=(2, 1)
        ).fingerprint([1])

    @pytest.mark.parametrize(
        ("options", "ids"),
        [
            (SaveOptions(), [1, 3]),
            (SaveOptions(), [2, 1]),
            (SaveOptions(folder_id=7), [1, 2]),
            (SaveOptions(project_ids=(7,)), [1, 2]),
            (SaveOptions(tags=("summer",)), [1, 2]),
            (SaveOptions(name="Hero"), [1, 2]),
            (SaveOptions(description="for the launch"), [1, 2]),
            (SaveOptions(alt_text="A fox in the snow."), [1, 2]),
        ],
    )
    def test_it_differs_when_anything_else_differs(self, options, ids):
        assert options.fingerprint(ids) != SaveOptions().fingerprint([1, 2])

    def test_a_name_is_not_confused_with_a_description(self):
        assert SaveOptions(name="x").fingerprint([1]) != SaveOptions(description="x").fingerprint([1])
