"""Near-duplicates: reposts, quotes and copied text linked to the earliest original.

MinHash over word 1-2-grams of the normalised text, banded LSH as in datasketch (whose
permutations and optimal band/row split we use), computed for a whole batch at once
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
_PRIME = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_SEED = 1

_permutations = MinHash(num_perm=NUM_PERM, seed=_SEED).permutations
_A = _permutations[0].astype(np.uint64)
_B = _permutations[1].astype(np.uint64)
_BANDS, _ROWS = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)


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
    bigrams = (unigrams[:-1][same] * np.uint64(1_000_003) + unigrams[1:][same]) & _MAX_HASH
    shingles = np.concatenate([unigrams, bigrams])
    shingle_rows = np.concatenate([rows, rows[:-1][same]])
    order = np.argsort(shingle_rows, kind="stable")
    shingles, shingle_rows = shingles[order], shingle_rows[order]
    result = np.full((len(normalised), NUM_PERM), _MAX_HASH, dtype=np.uint64)
    if len(shingles):
        starts = np.flatnonzero(np.r_[True, shingle_rows[1:] != shingle_rows[:-1]])
        owners = shingle_rows[starts]
        for k in range(NUM_PERM):
            hashed = ((_A[k] * shingles + _B[k]) % _PRIME) & _MAX_HASH
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
    candidates: dict[int, set[int]] = {}
    long_rows = np.flatnonzero(~short)
    for band in range(_BANDS):
        part = sig[long_rows, band * _ROWS : (band + 1) * _ROWS]
        keys = np.ascontiguousarray(part).view(np.dtype((np.void, part.itemsize * _ROWS)))
        _, first_of, inverse = np.unique(keys.ravel(), return_index=True, return_inverse=True)
        leaders = long_rows[first_of[inverse.ravel()]]
        for i, leader in zip(long_rows.tolist(), leaders.tolist(), strict=True):
            if leader != i:
                candidates.setdefault(i, set()).add(leader)
    for i, leaders in candidates.items():
        if i < previous:
            continue
        for leader in sorted(leaders):
            if float(np.mean(sig[i] == sig[leader])) >= THRESHOLD:
                root = original[leader] if original[leader] is not None else leader
                original[i] = root
                break
    return original
