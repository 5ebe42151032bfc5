"""Near-duplicates: reposts, quotes and copied text linked to the earliest original.

MinHash over word 1-2-grams of the normalised text (multiply-shift hashing seeded from
datasketch's permutations), banded LSH with datasketch's optimal band/row split, computed
for a whole batch at once
with numpy, then candidates confirmed by their estimated Jaccard similarity. Texts with
fewer than MIN_WORDS words are compared exactly (folded), not approximately.

Scope: within a batch, and against the recent stored mentions the caller passes in
`previous` (the store stage passes the workspace's last few days).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from veille.enrich.text import words

NUM_PERM = 64
THRESHOLD = 0.7
MIN_WORDS = 5
_MAX_HASH = np.uint64((1 << 32) - 1)
_SEED = 1

_permutations = MinHash(num_perm=NUM_PERM, seed=_SEED).permutations
# Multiply-shift hashing (odd multipliers, high 32 bits kept): a universal family like
# datasketch's (a x + b) mod p, without the costly 64-bit modulo.
_A = _permutations[0].astype(np.uint64) << np.uint64(3) | np.uint64(1)
_B = _permutations[1].astype(np.uint64) << np.uint64(3)
_SHIFT = np.uint64(32)
_BANDS, _ROWS = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)
_BAND_MIX = _permutations[0][:_ROWS].astype(np.uint64) << np.uint64(1) | np.uint64(1)


def signatures(normalised: Sequence[str]) -> tuple[np.ndarray, list[list[str]]]:
    """One row of NUM_PERM min-hashes per text (all ones for texts with no word)."""
    ids: dict[str, int] = {}
    flat: list[int] = []
    lengths = np.zeros(len(normalised), dtype=np.int64)
    tokenised = []
    for row, text in enumerate(normalised):
        toks = words(text)
        tokenised.append(toks)
        flat.extend([ids.setdefault(t, len(ids)) for t in toks])
        lengths[row] = len(toks)
    token_hash = np.fromiter((zlib.crc32(t.encode()) for t in ids), dtype=np.uint64, count=len(ids))
    positions = np.asarray(flat, dtype=np.int64)
    rows = np.repeat(np.arange(len(normalised)), lengths)
    unigrams = token_hash[positions]
    same = rows[:-1] == rows[1:] if len(rows) > 1 else np.zeros(0, dtype=bool)
    # Two shingles per word, in row order: the word, and the bigram it starts (the word
    # again at a text's last word, which leaves the minimum unchanged): no sorting needed.
    bigrams = unigrams.copy()
    bigrams[:-1][same] = (unigrams[:-1][same] * np.uint64(1_000_003) + unigrams[1:][same]) & (
        _MAX_HASH
    )
    shingles = np.stack([unigrams, bigrams], axis=1).ravel()
    result = np.full((len(normalised), NUM_PERM), _MAX_HASH, dtype=np.uint64)
    if len(shingles):
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        owners = rows[starts]
        starts *= 2
        for k in range(NUM_PERM):
            hashed = (_A[k] * shingles + _B[k]) >> _SHIFT
            result[owners, k] = np.minimum.reduceat(hashed, starts)
    return result, tokenised


def find_duplicates(normalised: Sequence[str], previous: int = 0) -> list[int | None]:
    """For each text, the index of the earliest near-identical text before it, or None.

    Texts are in time order; the first `previous` are already stored ones, compared
    against but not reported (their entries are None).
    """
    count = len(normalised)
    original: list[int | None] = [None] * count
    if count < 2:
        return original
    sig, tokenised = signatures(normalised)
    short = np.array([len(t) < MIN_WORDS for t in tokenised])
    exact: dict[str, int] = {}
    for i in np.flatnonzero(short):
        key = " ".join(tokenised[i])
        if key:
            first = exact.setdefault(key, int(i))
            if first != i and i >= previous:
                original[i] = first
    long_rows = np.flatnonzero(~short)
    # Every (text, earlier text sharing a band) pair, found with numpy: per band, the rows
    # whose band hashes equal an earlier row's point to that first row.
    pair_rows: list[np.ndarray] = []
    pair_leaders: list[np.ndarray] = []
    for band in range(_BANDS):
        # One 64-bit key per band (a collision only adds a candidate, checked below).
        keys = sig[long_rows, band * _ROWS : (band + 1) * _ROWS] @ _BAND_MIX
        _, first_of, inverse = np.unique(keys, return_index=True, return_inverse=True)
        leaders = long_rows[first_of[inverse.ravel()]]
        moved = leaders != long_rows
        pair_rows.append(long_rows[moved])
        pair_leaders.append(leaders[moved])
    if not pair_rows or not sum(len(p) for p in pair_rows):
        return original
    rows = np.concatenate(pair_rows)
    leaders = np.concatenate(pair_leaders)
    keep = rows >= previous
    rows, leaders = rows[keep], leaders[keep]
    # Confirm by estimated Jaccard similarity, all pairs at once (in chunks).
    similar = np.zeros(len(rows), dtype=bool)
    for start in range(0, len(rows), 20_000):
        end = start + 20_000
        agree = (sig[rows[start:end]] == sig[leaders[start:end]]).mean(axis=1)
        similar[start:end] = agree >= THRESHOLD
    rows, leaders = rows[similar], leaders[similar]
    # For each text the earliest similar leader, then texts in order so that roots resolve.
    order = np.lexsort((leaders, rows))
    rows, leaders = rows[order], leaders[order]
    firsts = np.r_[True, rows[1:] != rows[:-1]] if len(rows) else np.zeros(0, dtype=bool)
    for i, leader in zip(rows[firsts].tolist(), leaders[firsts].tolist(), strict=True):
        root = original[leader]
        original[i] = root if root is not None else leader
    return original
