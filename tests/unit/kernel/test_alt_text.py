"""Alt text: ordinary descriptive sentences pass; empty, stuffed, copied or "image of" text is refused."""

from __future__ import annotations

import pytest

from domain.kernel.alt_text import HOW_TO, MAX_LENGTH, check_alt_text
from domain.kernel.errors import ErrorCode, InvalidInput

PROMPT = "A red fox sitting in fresh snow, golden hour, highly detailed, 8k"


def refusal(alt_text: str, *, prompt: str = "") -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_alt_text(alt_text, prompt=prompt)
    return caught.value


def assert_refused(alt_text: str, *, prompt: str = "") -> InvalidInput:
    error = refusal(alt_text, prompt=prompt)
    assert error.code is ErrorCode.INVALID_INPUT
    assert "Describe what the image shows" in error.message
    assert error.field == "altText"
    return error


class TestOrdinaryDescriptionsAreAccepted:
    @pytest.mark.parametrize(
        "alt_text",
        [
            "A red fox sits in fresh snow at the edge of a pine forest.",
            "A dog, wet from the rain, shakes itself dry on the porch.",
            "A woman in a red coat, a black hat and white gloves walks past a bakery.",
            "Bread, cheese, olives and wine on a checked picnic blanket.",
            "A bowl of ramen with egg, pork, nori, and scallions.",
            "Close-up of a barista's hands pouring latte art into a white cup.",
            "Photographer holding a camera at sunset on a windy cliff.",
            "Picture frame on a wooden shelf, next to a potted fern.",
            "Two friends laugh over coffee ☕ at a sunny café table 😊",
            "Ein roter Fuchs sitzt im Schnee vor einem Tannenwald.",
            "Un zorro rojo, sentado en la nieve, mira hacia la cámara.",
            "雪の中に座っている赤いキツネ。",
            "Красная лиса сидит в свежем снегу у кромки леса.",
            "ثعلب أحمر يجلس في الثلج عند حافة الغابة.",
            "A small, fluffy, white kitten sleeps on a blanket.",
            "A New York New York hotel sign glows over the Las Vegas strip.",
            "A poster reading #1 in sales hangs above the desk.",
            "Sunset",
        ],
    )
    def test_a_sentence_describing_the_image_is_accepted_unchanged(self, alt_text):
        assert check_alt_text(alt_text) == alt_text

    def test_a_description_that_differs_from_the_prompt_is_accepted(self):
        text = "A red fox curled up asleep in the snow."
        assert check_alt_text(text, prompt=PROMPT) == text

    def test_a_description_that_borrows_a_few_words_of_a_longer_prompt_is_accepted(self):
        text = "A dog runs on the beach."
        assert check_alt_text(text, prompt="a dog runs on the beach at sunset with waves") == text

    def test_the_returned_text_is_stripped_of_surrounding_whitespace(self):
        assert check_alt_text("  \tA fox in the snow.  ") == "A fox in the snow."

    def test_exactly_the_maximum_length_is_accepted(self):
        text = (
            "A lighthouse keeper in a yellow raincoat climbs the spiral stairs at dusk while waves "
            "crash against the rocks below, gulls circle the lamp, and a fishing boat with red sails "
            "heads home across the grey water toward a small harbour where families wait on the quay"
        )
        text = text[: MAX_LENGTH - 1] + "."
        assert len(text) == MAX_LENGTH
        assert check_alt_text(text) == text

    def test_the_field_name_given_is_the_one_named_in_errors(self):
        with pytest.raises(InvalidInput) as caught:
            check_alt_text("", field="input.altText")
        assert caught.value.field == "input.altText"


class TestEmptyAltTextIsRefused:
    @pytest.mark.parametrize("alt_text", ["", " ", "   \t  "])
    def test_empty_or_blank_text_is_refused(self, alt_text):
        assert "empty" in assert_refused(alt_text).message

    def test_the_message_says_how_to_write_alt_text(self):
        assert HOW_TO in refusal("").message


class TestRedundantOpeningsAreRefused:
    @pytest.mark.parametrize(
        "alt_text",
        [
            "image of a fox in the snow",
            "Image of a fox in the snow.",
            "An image of a fox in the snow.",
            "A picture of a fox in the snow.",
            "Picture of a fox in the snow.",
            "photo showing a fox in the snow",
            "A photo of a fox in the snow.",
            "A photograph showing a fox in the snow.",
            "The picture shows a fox in the snow.",
            "Illustration of a fox in the snow.",
            "Graphic of a fox in the snow.",
            "Pic of the fox in the snow.",
            "  IMAGE OF a fox in the snow.",
        ],
    )
    def test_opening_with_image_of_is_refused(self, alt_text):
        assert "image of" in assert_refused(alt_text).message

    @pytest.mark.parametrize(
        "alt_text", ["This image shows a fox in the snow.", "This photo shows a fox in the snow."]
    )
    def test_opening_with_this_image_shows_is_refused_too(self, alt_text):
        assert_refused(alt_text)


class TestKeywordListsAreRefused:
    @pytest.mark.parametrize(
        "alt_text",
        [
            "fox, snow, winter, cute",
            "fox; snow; winter",
            "fox | snow | winter",
            "#fox #snow #winter",
            "red fox, fresh snow, golden hour, 8k",
            "fox,snow,winter",
        ],
    )
    def test_a_list_of_short_keywords_is_refused(self, alt_text):
        assert "list of keywords" in assert_refused(alt_text).message

    def test_two_items_are_not_yet_a_list(self):
        assert check_alt_text("Fox, snow") == "Fox, snow"


class TestRepeatedKeywordsAreRefused:
    @pytest.mark.parametrize(
        ("alt_text", "word"),
        [
            ("fox fox fox fox in snow", "fox"),
            ("Beautiful beautiful beautiful", "beautiful"),
            ("Fox in snow, FOX in the woods, fox on a log", "fox"),
        ],
    )
    def test_a_word_repeated_as_stuffing_is_refused(self, alt_text, word):
        assert repr(word) in assert_refused(alt_text).message

    def test_a_word_used_twice_in_a_sentence_is_fine(self):
        text = "A fox watches another fox cross the frozen river."
        assert check_alt_text(text) == text

    @pytest.mark.parametrize(
        "alt_text",
        [
            "Der Hund und die Katze schlafen auf der Couch in der Küche.",
            "Una taza de café y un trozo de tarta de manzana.",
            "El perro de la vecina duerme en la puerta de la casa.",
            "La maison de la plage de la famille au coucher du soleil.",
        ],
    )
    def test_ordinary_sentences_in_other_languages_are_not_taken_for_stuffing(self, alt_text):
        assert check_alt_text(alt_text) == alt_text


class TestTheCopiedPromptIsRefused:
    @pytest.mark.parametrize(
        "alt_text",
        [
            PROMPT,
            PROMPT.lower(),
            PROMPT.upper(),
            "a red fox sitting in fresh snow golden hour highly detailed 8k",
            "A RED FOX SITTING IN FRESH SNOW; GOLDEN HOUR; HIGHLY DETAILED!",
            "A red fox sits in fresh snow, golden hour, highly detailed",
            f"  {PROMPT}.  ",
        ],
    )
    def test_the_prompt_copied_exactly_or_nearly_is_refused(self, alt_text):
        assert "prompt copied" in assert_refused(alt_text, prompt=PROMPT).message

    def test_a_short_prompt_copied_with_a_full_stop_is_refused(self):
        assert_refused("A cat on a sofa.", prompt="a cat on a sofa")

    def test_without_a_prompt_the_same_text_is_accepted(self):
        text = "A red fox sits in fresh snow at golden hour."
        assert check_alt_text(text) == text


class TestLengthAndCharactersAreChecked:
    def test_more_than_the_maximum_length_is_refused(self):
        error = refusal("A fox in the snow. " * 14)
        assert error.code is ErrorCode.INVALID_INPUT
        assert f"at most {MAX_LENGTH}" in error.message

    @pytest.mark.parametrize(
        "alt_text",
        [
            "A fox\x00 in the snow.",
            "A fox in the snow.\x00",
            "A fox \x07in the snow.",
            "A fox \x1b[31min the snow.",
            "A fox in the snow.\x7f",
            "A fox\x0bin the snow.",
        ],
    )
    def test_nul_and_other_control_characters_are_refused(self, alt_text):
        assert "control characters" in refusal(alt_text).message

    @pytest.mark.parametrize(
        "alt_text",
        ["A fox\nin the snow.", "A fox\r\nin the snow.", "A fox\rin the snow.", "A fox in the snow.\n"],
    )
    def test_line_breaks_are_refused(self, alt_text):
        assert refusal(alt_text).code is ErrorCode.INVALID_INPUT
