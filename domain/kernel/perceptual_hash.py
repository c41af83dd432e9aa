"""The perceptual hash's geometry: Hamming distance, and the bands that index it for near-neighbour search.

A 64-bit dHash is split into BANDS bands of BAND_BITS bits. Two hashes within distance d
differ in at most d bits, so (pigeonhole) at least one band differs in at most d // BANDS
bits: looking up, in each band, every value within that radius of the asset's own finds
every neighbour. Processing stores the bands beside the hash (storage mirrors `bands` in
SQL only in the migration that backfilled them, and a test checks both agree).
"""

from __future__ import annotations

from itertools import combinations

BANDS = 4
BAND_BITS = 16
_BAND_MASK = (1 << BAND_BITS) - 1
_HASH_MASK = (1 << 64) - 1
_SHIFTS = tuple(BAND_BITS * i for i in range(BANDS))


def distance(a: int, b: int) -> int:
    """The Hamming distance of two 64-bit hashes, signed or not: how many bits differ."""
    return ((a ^ b) & _HASH_MASK).bit_count()


def bands(h: int) -> tuple[int, ...]:
    """The hash's bands, lowest bits first, each an unsigned BAND_BITS-bit number."""
    return tuple((h >> shift) & _BAND_MASK for shift in _SHIFTS)  # >> keeps the sign; the mask drops it


def band_radius(max_distance: int) -> int:
    """How many bits a band of a neighbour within `max_distance` differs in, at least in one band."""
    return max_distance // BANDS


def near_values(value: int, radius: int) -> list[int]:
    """Every BAND_BITS-bit value within `radius` bits of `value`, itself first."""
    found = [value]
    for flipped in range(1, radius + 1):
        for bits in combinations(range(BAND_BITS), flipped):
            mask = 0
            for bit in bits:
                mask |= 1 << bit
            found.append(value ^ mask)
    return found
