"""The search room's rules: words of a search, the orders, the filter's bounds, content hashes."""

from __future__ import annotations

import pytest

from domain.kernel.errors import InvalidInput, LimitExceeded
from domain.library.filters import AssetFilter
from domain.search.bounds import MAX_FILTER_VALUES, check_filter, check_sha256
from domain.search.model import MAX_SEARCH_LENGTH, MAX_SEARCH_TERMS, AssetSort, SearchText, SortField


class TestSearchText:
    @pytest.mark.parametrize("text", [None, "", "   ", "\t\n"])
    def test_no_text_is_no_search(self, text):
        assert SearchText.parse(text) is None

    def test_only_the_words_are_kept_once_each_regardless_of_case(self):
        words = SearchText.parse('"Red" NEAR(fox* -cat) name:red 🦊 Straße')
        assert words == SearchText(terms=("red", "near", "fox", "cat", "name", "strasse"))

    def test_a_text_of_no_words_has_no_terms(self):
        assert SearchText.parse("*** --- ((") == SearchText(terms=())

    def test_words_past_the_cap_are_ignored(self):
        words = SearchText.parse(" ".join(f"w{i}" for i in range(MAX_SEARCH_TERMS + 5)))
        assert words is not None and len(words.terms) == MAX_SEARCH_TERMS

    @pytest.mark.parametrize("text", ["x" * (MAX_SEARCH_LENGTH + 1), "fox\x00"])
    def test_too_long_or_nul_is_invalid_input_on_search(self, text):
        with pytest.raises(InvalidInput) as raised:
            SearchText.parse(text)
        assert raised.value.field == "search"


class TestSorts:
    def test_relevance_needs_a_search(self):
        with pytest.raises(InvalidInput) as raised:
            AssetSort(SortField.RELEVANCE).check(None)
        assert raised.value.field == "sort"
        words = SearchText(terms=("fox",))
        assert AssetSort(SortField.RELEVANCE).check(words) == AssetSort(SortField.RELEVANCE)

    def test_each_order_has_its_own_name_for_its_cursors(self):
        names = {AssetSort(f, d).name for f in SortField for d in (True, False)}
        assert len(names) == 2 * len(SortField)


class TestFilterBounds:
    def test_lists_past_the_cap_are_limit_exceeded(self):
        with pytest.raises(LimitExceeded) as raised:
            check_filter(AssetFilter(all_tag_ids=tuple(range(MAX_FILTER_VALUES + 1))))
        assert raised.value.field == "filter.allTagIds"

    def test_a_hash_is_kept_in_lower_case(self):
        assert check_filter(AssetFilter(sha256="AB" * 32)).sha256 == "ab" * 32

    @pytest.mark.parametrize("value", ["", "ab", "zz" * 32, "ab" * 32 + "\n", "ｆ" * 64])
    def test_a_malformed_hash_is_invalid_input(self, value):
        with pytest.raises(InvalidInput):
            check_sha256(value, field="sha256")

    @pytest.mark.parametrize("rating", [-1, 6])
    def test_a_rating_out_of_range_is_invalid_input(self, rating):
        with pytest.raises(InvalidInput):
            check_filter(AssetFilter(rating_at_least=rating))
