"""Near-duplicates: the same story rewritten by another outlet is linked to its first copy.

Each article gets a MinHash signature over its morpheme trigrams, split into bands; an
indexed table maps band hashes to articles. A new article's candidates are the articles
that share a band with it (a handful of index lookups, never a scan of the corpus), and a
candidate counts as the same story when rapidfuzz finds the morpheme strings at least 90%
alike. Comparing morphemes rather than raw text makes a rewrite that only changes
particles, endings or spacing count as the same story.
"""

from __future__ import annotations

import hashlib

import numpy as np
from rapidfuzz import fuzz

from store.engine import Database

SIMILARITY = 90.0  # percent; wire copies and light rewrites score above, related stories below
SHINGLE = 3  # morphemes per shingle
BANDS, ROWS = 16, 4  # 64 hash functions; two texts with Jaccard 0.5 share a band 64% of the time
_PRIME = (1 << 61) - 1
_rng = np.random.default_rng(20241116)  # fixed: signatures must be the same in every process
_A = _rng.integers(1, _PRIME, BANDS * ROWS, dtype=np.uint64)
_B = _rng.integers(0, _PRIME, BANDS * ROWS, dtype=np.uint64)


def fill(conn: Database) -> None:
    """Index the articles already stored (a store from before the band index)."""
    for article_id, body in conn.execute("SELECT rowid, body FROM articles_fts").fetchall():
        index_article(conn, article_id, body)


def band_keys(body_morphs: str) -> list[int]:
    """The band hashes of a morpheme string's MinHash signature (empty when too short)."""
    words = body_morphs.split()
    shingles = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    if len(shingles) < 8:
        return []  # too short to call anything a copy of it
    hashes = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode(), digest_size=8).digest(), "little") >> 4
         for s in shingles),
        dtype=np.uint64, count=len(shingles),
    )
    # (a*x + b) mod p for every hash function and shingle; uint64 wraps, which is fine
    # for a hash family, and the minimum per function is the signature.
    signature = ((np.outer(_A, hashes) + _B[:, None]) % np.uint64(_PRIME)).min(axis=1)
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS:(band + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def index_article(conn: Database, article_id: int, body_morphs: str,
                  fresh: bool = False) -> list[int]:
    """Record an article's band hashes (replacing old ones, unless the article is `fresh`:
    inserted in this transaction); returns them."""
    if not fresh:
        conn.execute("DELETE FROM dedup_bands WHERE article_id = ?", (article_id,))
    keys = band_keys(body_morphs)
    conn.insert_many("INSERT INTO dedup_bands (band_key, article_id) VALUES (?, ?)",
                     [(k, article_id) for k in keys], ("bigint", "bigint"))
    return keys


def first_copy_of(conn: Database, article_id: int, body_morphs: str, keys: list[int]) -> int | None:
    """The first stored copy of the story of an article whose band hashes are `keys`
    (None when it is new). The articles written so far are its candidates: on PostgreSQL
    the caller holds the write lock, so that the one written just before is among them."""
    if not keys:
        return None
    marks = ",".join("?" * len(keys))
    candidates = conn.execute(
        f"SELECT a.id, coalesce(a.dup_of, a.id), f.body FROM articles a"
        f" JOIN articles_fts f ON f.rowid = a.id WHERE a.id IN"
        f" (SELECT DISTINCT article_id FROM dedup_bands WHERE band_key IN ({marks}))"
        f" AND a.id != ? ORDER BY a.id",
        (*keys, article_id),
    ).fetchall()
    for _candidate_id, root, candidate_body in candidates:
        shorter, longer = sorted((len(body_morphs), len(candidate_body)))
        if longer and shorter / longer >= 0.8 and fuzz.ratio(
            body_morphs, candidate_body, score_cutoff=SIMILARITY
        ):
            return root
    return None
