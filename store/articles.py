"""Articles and their sentences: one transaction per article, and the queries on them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from store import page_retries, term_counts
from store.dedup import first_copy_of, index_article
from store.engine import Database
from store.facts import ArticleFacts, replace_facts
from store.stories import StoryProfile, place_article, reprofile_article, stored_profile

KST = timezone(timedelta(hours=9))


@dataclass(frozen=True, slots=True)
class SentenceRow:
    position: int
    paragraph: int
    text: str
    morphs: str  # content morphemes, space separated


@dataclass(slots=True)
class PreparedArticle:
    """Everything ingest derived from one article, ready to be written at once."""

    article_key: str
    source_id: str | None
    url: str
    canonical_url: str
    title: str
    publisher: str
    published_at: str | None
    body: str
    content_hash: str
    title_morphs: str
    sentences: list[SentenceRow] = field(default_factory=list)
    facts: ArticleFacts | None = None  # extracted facts, written with the article
    story: StoryProfile | None = None  # what places it in a story (analysis.stories)
    # Only the feed's title and summary: the page failed, and is tried again later.
    summary_only: bool = False


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    url: str
    canonical_url: str
    publisher: str
    published_at: str | None
    body: str
    source_id: str | None = None
    dup_of: int | None = None
    title_morphs: str = ""
    story_id: int | None = None
    summary_only: bool = False  # from a feed's summary alone; replies say so

    @property
    def date(self) -> str:
        """The publication date as YYYY-MM-DD, or '' when unknown."""
        return (self.published_at or "")[:10]


ARTICLE_COLUMNS = (
    "id, title, url, canonical_url, publisher, published_at, body, source_id, dup_of, title_morphs,"
    " story_id, summary_only"
)


@dataclass(frozen=True, slots=True)
class WriteResult:
    status: str  # 'new', 'duplicate' (a near-copy of a stored story), 'updated' or 'unchanged'
    article_id: int


def now_kst() -> str:
    return datetime.now(KST).isoformat(timespec="seconds")


# A new article's hook (near-copies included), called inside its transaction before the
# write lock, with the article's own rows written: what it can do there without the other
# writers' articles (matching it against the subscriptions) it does at once, and it
# returns the step that needs its story (writing the alert rows), which runs once the
# article is placed (given the story's id), so what it writes commits or rolls back with
# the article.
OnNewArticle = Callable[[Database, int, "PreparedArticle"],
                        Callable[[Database, int], object] | None]

WRITE_LOCK = "article-write"


def write_article(
    db: Database, article: PreparedArticle, on_new: OnNewArticle | None = None
) -> WriteResult:
    """Insert or replace one article with its sentences, index rows, facts and story in one
    transaction; `on_new` runs inside it when the article is new.

    Writers take turns for what depends on the articles written before (SQLite's write
    lock holds the whole transaction; on PostgreSQL, where several `newsmate ingest`
    processes write at once, an advisory lock held from the moment it is needed until the
    commit): the term counts, the near-duplicate check, the story placement and the alerts
    must see the article written just before. The article's own rows (sentences, search
    index, bands, facts) and the subscription matching come before the lock, so the turn
    is as short as it can be; the analysis before all this, nearly all the work, runs in
    every worker at once.
    """
    with db.transaction() as conn:
        return _write_in_transaction(conn, article, on_new)


def _write_in_transaction(
    conn: Database, a: PreparedArticle, on_new: OnNewArticle | None
) -> WriteResult:
    row = conn.execute(
        "SELECT id, content_hash FROM articles WHERE article_key = ?", (a.article_key,)
    ).fetchone()
    values = (
        a.source_id, a.url, a.canonical_url, a.title, a.title_morphs, a.publisher,
        a.published_at, now_kst(), a.body, a.content_hash, int(a.summary_only),
    )
    if row is None:
        # The unique key makes a second writer of the same article a no-op, whatever
        # locks it did or did not take.
        inserted = conn.execute(
            "INSERT INTO articles (source_id, url, canonical_url, title, title_morphs, publisher,"
            " published_at, ingested_at, body, content_hash, summary_only, article_key)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (article_key) DO NOTHING RETURNING id",
            (*values, a.article_key),
        ).fetchone()
        if inserted is None:
            stored = conn.execute(
                "SELECT id FROM articles WHERE article_key = ?", (a.article_key,)
            ).fetchone()
            return WriteResult("unchanged", stored[0])
        article_id = int(inserted[0])
        status = "new"
    elif row[1] == a.content_hash:
        return WriteResult("unchanged", row[0])
    else:
        # A rewrite takes its turn at once: taking its old sentences out of the term
        # counts changes rows every writer updates (rare enough not to matter).
        conn.lock(WRITE_LOCK)
        article_id = row[0]
        conn.execute(
            "UPDATE articles SET source_id=?, url=?, canonical_url=?, title=?, title_morphs=?,"
            " publisher=?, published_at=?, ingested_at=?, body=?, content_hash=?, summary_only=?"
            " WHERE id=?",
            (*values, article_id),
        )
        old = [r[0] for r in conn.execute(
            "SELECT morphs FROM sentences WHERE article_id = ?", (article_id,))]
        term_counts.count(conn, old, sign=-1)
        conn.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM articles_fts WHERE rowid = ?", (article_id,))
        status = "updated"
    # The article's own rows: no other writer reads them before this one commits.
    fresh = status == "new"  # inserted just now: nothing of it to delete first
    conn.insert_many(
        "INSERT INTO sentences (article_id, position, paragraph, text, morphs)"
        " VALUES (?, ?, ?, ?, ?)",
        [(article_id, s.position, s.paragraph, s.text, s.morphs) for s in a.sentences],
        ("bigint", "bigint", "bigint", "text", "text"),
    )
    body_morphs = " ".join(s.morphs for s in a.sentences)
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
        (article_id, a.title_morphs, body_morphs),
    )
    bands = index_article(conn, article_id, body_morphs, fresh)
    if a.facts is not None or status == "updated":
        # The facts point at the sentence rows just inserted; a rewrite drops the old facts.
        sentence_ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM sentences WHERE article_id = ? ORDER BY position", (article_id,)
            )
        ]
        replace_facts(conn, article_id, sentence_ids, a.facts or ArticleFacts(), fresh)
    # Its story, from the profile ingest built (or, without one, from what was just stored).
    profile = a.story or stored_profile(conn, article_id)
    after_placement = on_new(conn, article_id, a) if on_new and status == "new" else None
    # From here on, what the articles written before decide: one writer at a time.
    if fresh:
        conn.lock(WRITE_LOCK)  # (a rewrite took it at its start)
    term_counts.count(conn, (s.morphs for s in a.sentences))
    first_copy = None
    if status == "new":
        first_copy = first_copy_of(conn, article_id, body_morphs, bands)
        if first_copy is not None:
            conn.execute("UPDATE articles SET dup_of = ? WHERE id = ?", (first_copy, article_id))
            status = "duplicate"
    if status == "updated":
        story_id = reprofile_article(conn, article_id, profile, a.published_at)
    else:
        story_id = place_article(conn, article_id, profile, a.published_at, copy_of=first_copy)
    # A summary-only article's page is tried again later; a whole version ends the tries
    # (a new article has none to end).
    if a.summary_only or not fresh:
        page_retries.track(conn, article_id, a.url if a.summary_only else None)
    if after_placement is not None:
        after_placement(conn, story_id)  # an update or a re-read is new to nobody
    return WriteResult(status, article_id)


def stored_version(db: Database, article_key: str) -> tuple[int, str] | None:
    """(id, content hash) of the stored article with this key, if there is one."""
    row = db.execute(
        "SELECT id, content_hash FROM articles WHERE article_key = ?", [article_key]
    ).fetchone()
    return (row[0], row[1]) if row else None


def _article(row: tuple) -> Article:
    return Article(*row)


def get_article(db: Database, article_id: int) -> Article | None:
    row = db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", [article_id]).fetchone()
    return _article(row) if row else None


def get_articles(db: Database, ids: list[int]) -> dict[int, Article]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    rows = db.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({marks})", ids)
    return {row[0]: _article(row) for row in rows}


def find_article(db: Database, ref: str) -> Article | None:
    """An article by store id, source id or URL (as given or canonical)."""
    ref = ref.strip()
    if ref.isdigit():
        found = get_article(db, int(ref))
        if found:
            return found
    row = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE source_id = ? OR url = ? OR canonical_url = ?"
        " ORDER BY id LIMIT 1",
        [ref, ref, ref],
    ).fetchone()
    return _article(row) if row else None


def latest_articles(db: Database, limit: int = 5, offset: int = 0) -> list[Article]:
    """The newest articles first (near-duplicates left out); undated ones last."""
    rows = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE dup_of IS NULL"
        " ORDER BY published_at IS NULL, published_at DESC, id DESC LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return [_article(r) for r in rows]


def published_between(db: Database, start: str | None = None, end: str | None = None,
                      limit: int = 40) -> list[Article]:
    """Articles published from `start` (inclusive) to `end` (exclusive), ISO times in KST,
    newest first (near-duplicates left out); either bound may be open."""
    clauses, params = ["dup_of IS NULL", "published_at IS NOT NULL"], []
    if start:
        clauses.append("published_at >= ?")
        params.append(start)
    if end:
        clauses.append("published_at < ?")
        params.append(end)
    rows = db.execute(
        f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE {' AND '.join(clauses)}"
        " ORDER BY published_at DESC, id DESC LIMIT ?",
        [*params, limit],
    )
    return [_article(r) for r in rows]


def sentences_of(db: Database, article_id: int) -> list[str]:
    rows = db.execute(
        "SELECT text FROM sentences WHERE article_id = ? ORDER BY position", [article_id]
    )
    return [r[0] for r in rows]


def count_articles(db: Database) -> int:
    return db.execute("SELECT count(*) FROM articles").fetchone()[0]
