"""The perceptual hash's geometry: distance, bands, and the band values a search looks up."""

from __future__ import annotations

import random
from math import comb

import pytest

from domain.kernel.perceptual_hash import BAND_BITS, BANDS, band_radius, bands, distance, near_values


def signed(unsigned: int) -> int:
    return unsigned - 2**64 if unsigned >= 2**63 else unsigned


class TestDistance:
    def test_counts_differing_bits_of_signed_hashes_as_their_64_unsigned_bits(self):
        assert distance(-1, 0) == 64
        assert distance(-(2**63), 0) == 1
        assert distance(-2, -1) == 1
        assert distance(0x0F, 0xF0) == 8


class TestBands:
    @pytest.mark.parametrize("h", [0, -1, -2, 2**63 - 1, -(2**63), 0x0123_4567_89AB_CDEF])
    def test_bands_are_the_unsigned_16_bit_slices_lowest_first_and_rebuild_the_hash(self, h):
        parts = bands(h)
        assert len(parts) == BANDS and all(0 <= p < 2**BAND_BITS for p in parts)
        assert signed(sum(p << (BAND_BITS * i) for i, p in enumerate(parts))) == h

    def test_any_hash_within_the_distance_shares_a_band_within_the_radius(self):
        """The pigeonhole the search stands on, on random pairs at every distance up to 15."""
        rng = random.Random(11)
        for d in range(16):
            for _ in range(200):
                h = signed(rng.getrandbits(64))
                flips = sum(1 << bit for bit in rng.sample(range(64), d))
                other = signed((h & (2**64 - 1)) ^ flips)
                assert distance(h, other) == d
                radius = band_radius(d)
                assert any(
                    bin(a ^ b).count("1") <= radius for a, b in zip(bands(h), bands(other), strict=True)
                )


class TestNearValues:
    @pytest.mark.parametrize("radius", [0, 1, 2, 3])
    def test_lists_every_value_within_the_radius_once_itself_first(self, radius):
        values = near_values(0xBEEF, radius)
        assert values[0] == 0xBEEF
        assert len(values) == len(set(values)) == sum(comb(BAND_BITS, k) for k in range(radius + 1))
        assert all(bin(v ^ 0xBEEF).count("1") <= radius and 0 <= v < 2**BAND_BITS for v in values)
