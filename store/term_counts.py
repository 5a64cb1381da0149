"""How many sentences hold each index term, kept in step with the sentences table.

FTS5's vocabulary table answers the same question, but it walks the index for every term
(60-90 µs each); /ask looks up the terms of every new question, so a plain table keyed by
term answers instead, in microseconds. The terms are the sentence index's own tokens
(the FTS5 unicode61 tokenizer splits '2.0' into 2 and 0), so the counts equal what
fts5vocab reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from store.engine import Database, index_tokens


def tokens(morphs: str) -> set[str]:
    """The sentence index's tokens of one sentence's morphs column."""
    return set(index_tokens(morphs))


def count(conn: Database, morph_columns: Iterable[str], sign: int = 1) -> None:
    """Add (sign 1) or take away (sign -1) sentences with these morphs columns."""
    counts: Counter[str] = Counter()
    for morphs in morph_columns:
        counts.update(tokens(morphs))
    conn.insert_many(
        "INSERT INTO term_counts (term, sentences) VALUES (?, ?)"
        " ON CONFLICT (term) DO UPDATE SET sentences = term_counts.sentences + excluded.sentences",
        # In term order: concurrent writers then lock the rows in one order (no deadlock).
        [(term, sign * counts[term]) for term in sorted(counts)], ("text", "bigint"),
    )
    if sign < 0:
        conn.executemany(
            "DELETE FROM term_counts WHERE term = ? AND sentences <= 0", [(t,) for t in counts]
        )


def fill(conn: Database) -> None:
    """Count every stored sentence (a store from before this table)."""
    count(conn, (row[0] for row in conn.execute("SELECT morphs FROM sentences")))


def sentence_counts(db: Database, terms: list[str]) -> dict[str, int]:
    """How many sentences hold each term (terms in none are left out)."""
    unique = list(dict.fromkeys(t for t in terms if t))
    if not unique:
        return {}
    marks = ",".join("?" * len(unique))
    rows = db.execute(f"SELECT term, sentences FROM term_counts WHERE term IN ({marks})", unique)
    return {r[0]: r[1] for r in rows}


def terms_starting_with(db: Database, prefix: str, limit: int = 2000) -> list[tuple[str, int]]:
    """Index terms beginning with `prefix` and how many sentences hold each (a range scan of
    the table's key, so a typo's candidates cost one seek, not a walk of the vocabulary)."""
    if not prefix:
        return []
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    rows = db.execute(
        "SELECT term, sentences FROM term_counts WHERE term >= ? AND term < ? LIMIT ?",
        [prefix, upper, limit],
    )
    return [(r[0], r[1]) for r in rows]
