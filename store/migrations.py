"""Numbered schema migrations; the schema version (PRAGMA user_version on SQLite) records
how far a store has come.

Each migration runs in its own transaction together with the version bump, so a store is
never left half-migrated. Never edit a migration that has shipped: add a new one. The same
migrations build a PostgreSQL store: run_script gives the DDL PostgreSQL's types, and the
search index, which is FTS5 on SQLite, is PostgreSQL's own there (store/engine.py).
"""

from __future__ import annotations

from collections.abc import Callable

from store.engine import (
    Database,
    create_search_schema,
    defer_search_totals,
    schema_version,
    set_schema_version,
)
from store.sql import add_column, run_script

# FTS5 over space-separated Kiwi morphemes. unicode61 splits on the spaces we put there
# and keeps Hangul syllables whole; diacritics removal is off because it is meant for Latin.
FTS_TOKENIZE = "unicode61 remove_diacritics 0"


def _v1_articles(db: Database) -> None:
    """Articles and sentences with their two search indexes: FTS5 on SQLite; on PostgreSQL
    tsvectors with GIN indexes (store/engine.py), over the same tables."""
    run_script(
        db,
        """
        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            article_key TEXT NOT NULL UNIQUE,   -- 'id:<source id>' or 'url:<canonical url>'
            source_id TEXT,
            url TEXT NOT NULL,
            canonical_url TEXT NOT NULL,
            title TEXT NOT NULL,
            title_morphs TEXT NOT NULL DEFAULT '',
            publisher TEXT NOT NULL DEFAULT '',
            published_at TEXT,                  -- ISO 8601 in KST, or NULL when unknown
            ingested_at TEXT NOT NULL,
            body TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dup_of INTEGER REFERENCES articles(id) ON DELETE SET NULL
        );
        CREATE INDEX articles_canonical_url ON articles(canonical_url);
        CREATE INDEX articles_published_at ON articles(published_at);

        CREATE TABLE sentences (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,          -- 0-based order in the body
            paragraph INTEGER NOT NULL,
            text TEXT NOT NULL,
            morphs TEXT NOT NULL,               -- content morphemes, space separated
            UNIQUE (article_id, position)
        );
        """,
    )
    if db.is_postgres:
        create_search_schema(db)
        return
    run_script(
        db,
        f"""
        -- Sentence index: external content kept in step by triggers, so an article's
        -- sentences and their index rows are written by the same statements.
        CREATE VIRTUAL TABLE sentences_fts USING fts5(
            morphs, content='sentences', content_rowid='id', tokenize='{FTS_TOKENIZE}'
        );
        CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
            INSERT INTO sentences_fts(rowid, morphs) VALUES (new.id, new.morphs);
        END;
        CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
            INSERT INTO sentences_fts(sentences_fts, rowid, morphs)
            VALUES ('delete', old.id, old.morphs);
        END;

        -- Article index: title and body morphemes, rowid = articles.id.
        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, body, tokenize='{FTS_TOKENIZE}'
        );
        """
    )


def _v2_chats(db: Database) -> None:
    """Chats and the follow-up memory of answers."""
    run_script(
        db,
        """
        CREATE TABLE chats (
            chat_id INTEGER PRIMARY KEY,
            chat_type TEXT NOT NULL DEFAULT 'private',
            title TEXT NOT NULL DEFAULT '',
            active INTEGER NOT NULL DEFAULT 1,     -- 0 once the bot was blocked or removed
            last_summary_at TEXT,                  -- for '/summary' with no argument
            created_at TEXT NOT NULL
        );
        CREATE TABLE followups (
            chat_id INTEGER NOT NULL,
            message_id INTEGER NOT NULL,
            article_ids TEXT NOT NULL,             -- JSON list, best first
            created_at TEXT NOT NULL,
            PRIMARY KEY (chat_id, message_id)
        );
        """,
    )


def _v3_pagers(db: Database) -> None:
    """What a paged list shows, so its 이전/다음 buttons carry only a short key."""
    run_script(
        db,
        """
        CREATE TABLE pagers (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            command TEXT NOT NULL,
            args TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX pagers_chat ON pagers(chat_id);
        """,
    )


def _v4_feeds(db: Database) -> None:
    """Feeds, and the entry links already read from them."""
    run_script(
        db,
        """
        CREATE TABLE feeds (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            etag TEXT,                          -- validators for conditional GET
            last_modified TEXT,
            added_at TEXT NOT NULL,
            last_checked_at TEXT,
            last_ok_at TEXT,
            next_check_at TEXT,                 -- NULL: due now
            errors INTEGER NOT NULL DEFAULT 0,  -- consecutive failures, for back-off
            last_error TEXT
        );
        CREATE INDEX feeds_next_check_at ON feeds(next_check_at);
        -- Entry links already turned into articles, so a poll does not fetch them again
        -- even when the page's canonical URL differs from the link in the feed.
        CREATE TABLE feed_links (
            link TEXT PRIMARY KEY,              -- canonical form of the entry link
            article_url TEXT NOT NULL,          -- canonical URL of the article it gave
            seen_at TEXT NOT NULL
        );
        """,
    )


def _v5_facts(db: Database) -> None:
    """Extracted facts: entity mentions, people, amounts and dates, quotes."""
    run_script(
        db,
        """
        CREATE TABLE entity_mentions (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_id INTEGER NOT NULL,
            type TEXT NOT NULL,                 -- PS, OG, LC, DT, TI, QT, PRODUCT
            text TEXT NOT NULL,                 -- as written
            key TEXT NOT NULL,                  -- folded form; a person's full name for PS
            start_char INTEGER NOT NULL,
            end_char INTEGER NOT NULL
        );
        CREATE INDEX entity_mentions_article ON entity_mentions(article_id);
        CREATE INDEX entity_mentions_key ON entity_mentions(key, type);

        CREATE TABLE people (
            id INTEGER PRIMARY KEY,             -- one person as one article names them
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            org TEXT NOT NULL DEFAULT '',
            title TEXT NOT NULL DEFAULT '',
            aliases TEXT NOT NULL DEFAULT '[]', -- JSON list: '정 대표', '정신아 카카오 대표'
            mentions INTEGER NOT NULL,
            first_sentence_id INTEGER NOT NULL
        );
        CREATE INDEX people_article ON people(article_id);
        CREATE INDEX people_name ON people(name);
        CREATE INDEX people_org ON people(org);

        CREATE TABLE fact_values (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_id INTEGER NOT NULL,
            kind TEXT NOT NULL,                 -- money, quantity, date
            text TEXT NOT NULL,                 -- as written: '2100억원', '지난해 12월'
            value REAL,                         -- amounts: 210000000000
            unit TEXT NOT NULL DEFAULT '',      -- KRW, USD, %, 개, 명 ...; dates: day, month, year, range
            qualifier TEXT NOT NULL DEFAULT '', -- 이상, 약, 최대 ...; dates: 까지, 부터 ...
            counted TEXT NOT NULL DEFAULT '',   -- what a counter counts: 토큰, 매개변수
            iso TEXT NOT NULL DEFAULT '',       -- dates: 2024-12, 2025-01-01/2025-06-30
            first_day TEXT NOT NULL DEFAULT '',
            last_day TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX fact_values_article ON fact_values(article_id);
        CREATE INDEX fact_values_kind ON fact_values(kind, unit, value);

        CREATE TABLE quotes (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_id INTEGER NOT NULL,       -- where the quote starts
            last_sentence_id INTEGER NOT NULL,  -- where it ends (a quote may span sentences)
            speaker_kind TEXT NOT NULL,         -- person, anonymous, organisation
            speaker_name TEXT NOT NULL DEFAULT '',
            speaker_org TEXT NOT NULL DEFAULT '',
            speaker_title TEXT NOT NULL DEFAULT '',
            speaker_label TEXT NOT NULL DEFAULT '', -- as the article names the speaker
            text TEXT NOT NULL
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker_name ON quotes(speaker_name);
        CREATE INDEX quotes_speaker_org ON quotes(speaker_org);
        """,
    )


def _v6_alerts(db: Database) -> None:
    """Subscriptions, per-chat alert settings (quiet hours, daily digest), the outbox and
    the delivery lease."""
    run_script(
        db,
        """
        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            term TEXT NOT NULL,                 -- as typed (NFC, single spaces), shown back
            match_key TEXT NOT NULL,            -- content morphemes, lower-cased, space separated
            aliases TEXT NOT NULL DEFAULT '[]', -- JSON: other entity keys for the same one
            created_at TEXT NOT NULL,
            UNIQUE (chat_id, match_key)
        );
        CREATE INDEX subscriptions_key ON subscriptions(match_key);
        CREATE TABLE alert_settings (
            chat_id INTEGER PRIMARY KEY,
            quiet_start INTEGER,                -- KST hour alerts stop (0-23), NULL = no quiet hours
            quiet_end INTEGER,                  -- KST hour alerts resume (0-23)
            digest_at TEXT                      -- 'HH:MM' KST for one daily digest, NULL = immediate
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL,          -- coalesce(dup_of, article_id) when matched
            term TEXT NOT NULL,                 -- the subscription that matched, as typed
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before REAL NOT NULL DEFAULT 0, -- epoch seconds: a retry waits until then
            owner TEXT,                         -- the delivery loop that marked it 'sending'
            message_id INTEGER,                 -- the Telegram message that carried it
            created_at REAL NOT NULL,           -- epoch seconds
            sent_at REAL,
            last_error TEXT,
            UNIQUE (chat_id, article_id)
        );
        CREATE INDEX outbox_status ON outbox(status, chat_id);
        CREATE INDEX outbox_story ON outbox(chat_id, story_id);
        CREATE INDEX outbox_sent ON outbox(chat_id, sent_at);
        CREATE TABLE delivery_lease (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            owner TEXT NOT NULL,
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            heartbeat REAL NOT NULL
        );
        """,
    )


def _v7_dedup_bands(db: Database) -> None:
    """The near-duplicate band index, filled for the articles already stored."""
    from store import dedup

    run_script(
        db,
        """
        CREATE TABLE dedup_bands (
            band_key INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE INDEX dedup_bands_key ON dedup_bands(band_key);
        CREATE INDEX dedup_bands_article ON dedup_bands(article_id);
        """,
    )
    dedup.fill(db.conn)


def _v8_term_counts(db: Database) -> None:
    """How many sentences hold each index term, counted for the sentences already stored."""
    from store import term_counts

    run_script(
        db,
        "CREATE TABLE IF NOT EXISTS term_counts"
        " (term TEXT PRIMARY KEY, sentences INTEGER NOT NULL) WITHOUT ROWID;",
    )
    term_counts.fill(db.conn)


def _v9_name_aliases(db: Database) -> None:
    """Short forms articles define for names ('과학기술정보통신부(과기정통부)'), both ways
    looked up by key. Articles stored before this learn theirs when they are read again.
    (IF NOT EXISTS: tests take a store back to an older version with this table in it.)"""
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS name_aliases (
            id INTEGER PRIMARY KEY,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence_id INTEGER NOT NULL,
            short_key TEXT NOT NULL,            -- alias_key(short): no spaces, lower-cased
            short TEXT NOT NULL,                -- as written: 과기정통부, LH
            full_key TEXT NOT NULL,
            full TEXT NOT NULL                  -- 과학기술정보통신부, 한국토지주택공사
        );
        CREATE INDEX IF NOT EXISTS name_aliases_article ON name_aliases(article_id);
        CREATE INDEX IF NOT EXISTS name_aliases_short ON name_aliases(short_key);
        CREATE INDEX IF NOT EXISTS name_aliases_full ON name_aliases(full_key);
        """,
    )


def _v10_forum_topics(db: Database) -> None:
    """The forum topic a subscription, and a chat's quiet hours or digest, were set in:
    alerts go back there (NULL: no topic, i.e. General or a chat without topics)."""
    add_column(db, "subscriptions", "thread_id", "INTEGER")
    add_column(db, "alert_settings", "thread_id", "INTEGER")


def _v11_summary_only(db: Database) -> None:
    """Articles stored from a feed's own summary because their page could not be read,
    and when each page is tried again. (Re-runnable, like the migrations before it.)"""
    add_column(db, "articles", "summary_only", "INTEGER NOT NULL DEFAULT 0")
    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS page_retries (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            link TEXT NOT NULL,                 -- the page to fetch, as the feed linked it
            attempts INTEGER NOT NULL DEFAULT 0,
            next_try_at TEXT,                   -- KST ISO 8601; NULL: given up
            last_error TEXT
        );
        CREATE INDEX IF NOT EXISTS page_retries_next ON page_retries(next_try_at);
        """,
    )


def _v12_stories(db: Database) -> None:
    """Stories (articles about one event), each article's story profile and the keys that
    find candidates; alert rows learn whether they are a story's alert or an update. The
    articles already stored are placed in stories. Safe to run again (a store rewound to
    an earlier version in tests keeps what this made)."""
    from store import stories

    run_script(
        db,
        """
        CREATE TABLE IF NOT EXISTS stories (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL DEFAULT 'report',  -- report, or opinion (a column is its own story)
            first_at TEXT,                      -- KST ISO time of its first and last article
            last_at TEXT,
            articles INTEGER NOT NULL DEFAULT 0,
            outlets INTEGER NOT NULL DEFAULT 0, -- distinct publishers
            lead_article_id INTEGER             -- the earliest full report
        );
        CREATE INDEX IF NOT EXISTS stories_last_at ON stories(last_at);

        CREATE TABLE IF NOT EXISTS story_profiles (
            article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,                 -- report, flash, photo, opinion
            full_report INTEGER NOT NULL,       -- 1: may lead its story
            at INTEGER NOT NULL,                -- epoch seconds: published, else stored
            timed INTEGER NOT NULL,             -- 0 when only the day is known
            profile TEXT NOT NULL               -- JSON: weighted title, lead, body, names, figures
        );
        -- Candidate lookup: (key, time) ranges, so a lookup reads one window of rows.
        CREATE TABLE IF NOT EXISTS story_keys (
            key TEXT NOT NULL,                  -- 't:' lead word, 'n:' name, 'f:' figure
            at INTEGER NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (key, at, article_id)
        );
        CREATE TABLE IF NOT EXISTS story_key_counts (
            key TEXT PRIMARY KEY,               -- 'n:' and 'f:' keys: articles carrying them
            articles INTEGER NOT NULL
        );
        """,
    )
    # No foreign key: stories are made after articles, and a copy to another engine goes
    # in creation order (store/copy.py). A story is deleted only when merged, after its
    # articles have moved to the story it joined (store.stories._merge).
    add_column(db, "articles", "story_id", "INTEGER")
    # 'alert': the chat's one alert for a story; 'update': a new fact of it (`note`).
    add_column(db, "outbox", "kind", "TEXT NOT NULL DEFAULT 'alert'")
    add_column(db, "outbox", "note", "TEXT NOT NULL DEFAULT ''")
    db.conn.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles(story_id)")
    stories.fill(db.conn)


def _v14_deferred_search_totals(db: Database) -> None:
    """PostgreSQL: the search totals row is updated at COMMIT, so that concurrent ingest
    workers build their articles' search index at once (store/engine.py); nothing on
    SQLite. (Numbered 14 for the merge; it follows whatever migration 13 is.)"""
    defer_search_totals(db)


# The position in this list is the schema version. Append only.
MIGRATIONS: list[Callable[[Database], None]] = [
    _v1_articles, _v2_chats, _v3_pagers, _v4_feeds, _v5_facts, _v6_alerts, _v7_dedup_bands,
    _v8_term_counts, _v9_name_aliases, _v10_forum_topics, _v11_summary_only,
    _v12_stories, _v14_deferred_search_totals,
]


def migrate(db: Database) -> int:
    """Apply every migration the store has not had yet; returns the new version."""
    version = schema_version(db)
    for number, migration in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        with db.transaction():
            db.lock("migrate")
            # Re-read inside the write lock: another process may have migrated meanwhile.
            if schema_version(db) >= number:
                continue
            migration(db)
            set_schema_version(db, number)
        version = number
    return version
