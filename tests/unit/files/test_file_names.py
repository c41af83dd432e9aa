"""File names from names people typed: safe anywhere, and recognisably theirs."""

from __future__ import annotations

import pytest

from domain.files.names import MAX_STEM_BYTES, ascii_file_name, file_name


class TestFileName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Hero", "Hero.png"),
            ("Hero.PNG", "Hero.PNG"),
            ("../../etc/passwd", "_.._etc_passwd.png"),
            ('a/b\\c:d*e?f|g<h>i"j', "a_b_c_d_e_f_g_h_i_j.png"),
            ("nul\x00and\r\nlines", "nul_and__lines.png"),
            ("CON", "_CON.png"),
            ("com1.backup", "_com1.backup.png"),
            ("LPT9", "_LPT9.png"),
            ("CONSOLE", "CONSOLE.png"),
            ("...", "asset-7.png"),
            ("   ", "asset-7.png"),
            ("name. . .", "name.png"),
            ("🦊 fox", "🦊 fox.png"),
            ("a\u200bb\u202ec", "abc.png"),
            ("👩\u200d💻", "👩\u200d💻.png"),
        ],
    )
    def test_a_name_becomes_a_safe_file_name(self, name, expected):
        assert file_name(name, "image/png", fallback="asset-7") == expected

    def test_a_long_name_is_cut_well_under_any_file_system_limit(self):
        name = file_name("🦊" * 300, "image/webp", fallback="x")
        assert name == "🦊" * (MAX_STEM_BYTES // 4) + ".webp"
        assert len(name.encode()) + len("-999") < 255
        assert file_name("é" * 300, "image/png", fallback="x") == "é" * (MAX_STEM_BYTES // 2) + ".png"

    def test_a_jpeg_keeps_its_own_spelling_of_the_extension(self):
        assert file_name("photo.jpeg", "image/jpeg", fallback="x") == "photo.jpeg"
        assert file_name("photo", "image/jpeg", fallback="x") == "photo.jpg"
        assert file_name("photo.png", "image/jpeg", fallback="x") == "photo.png.jpg"


class TestAsciiFileName:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("naïve café.png", "naive cafe.png"),
            ("🦊.png", "file.png"),
            ('a "quoted" name.png', "a _quoted_ name.png"),
            ("semi;colon\\back.png", "semi_colon_back.png"),
            ("no-extension", "no-extension"),
        ],
    )
    def test_the_ascii_stand_in_holds_nothing_that_ends_a_quoted_string(self, name, expected):
        assert ascii_file_name(name) == expected
