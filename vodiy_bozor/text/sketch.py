"""The text sketch of the duplicate detector: LSH band values of an ad's folded words.

Pure: no I/O. Similar texts share some band values, so an index lookup finds the candidates
(db.assistant stores them); the words come from text.fold.content_tokens.
"""

from __future__ import annotations

import itertools
import zlib
from typing import Final

from vodiy_bozor.text.fold import content_tokens

# Locality-sensitive hashing of MinHash signatures: BANDS bands of ROWS min-hashes each. Two
# texts whose word sets have Jaccard similarity J share at least one band value with
# probability 1 - (1 - J**ROWS)**BANDS: 0.998 at J = 0.9, 0.81 at 0.7, 0.32 at 0.5, 0.02 at
# 0.3. A band value is shared by texts that are alike as a whole, not by every text with one
# common word, so each value's entry in the index stays short even at a million ads.
# https://en.wikipedia.org/wiki/Locality-sensitive_hashing#Bit_sampling_for_Hamming_distance
BANDS: Final = 6
ROWS: Final = 4
_PRIME: Final = (1 << 31) - 1
# Fixed (a, b) pairs of the universal hash functions (a·x + b) mod p: changing them changes
# every stored sketch.
_SEEDS: Final = tuple(
    (1 + (zlib.crc32(f"a{i}".encode()) % (_PRIME - 1)), zlib.crc32(f"b{i}".encode()) % _PRIME)
    for i in range(BANDS * ROWS)
)


def text_sketch(folded: str) -> list[int]:
    """The text's LSH band values (BANDS 31-bit integers; none for a text without content
    words): similar texts share some, an index lookup finds them. Stable across processes
    (CRC-32, not Python's salted `hash`)."""
    words = content_tokens(folded)
    # Bare numbers alone (`11`, `2020`) are in too many ads; inside a pair they still count.
    singles = (w for w in words if not w.isdigit())
    shingles = {*singles, *(f"{a} {b}" for a, b in itertools.pairwise(words))}
    if not shingles:
        return []
    hashed = [zlib.crc32(s.encode()) for s in shingles]
    mins = [min((a * x + b) % _PRIME for x in hashed) for a, b in _SEEDS]
    out = []
    for band in range(BANDS):
        rows = mins[band * ROWS : (band + 1) * ROWS]
        key = f"{band}:" + ",".join(map(str, rows))
        out.append(zlib.crc32(key.encode()) & 0x7FFFFFFF)
    return out
