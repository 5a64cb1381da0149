"""The two engines behind the one store API: SQLite (a file, the default) and PostgreSQL.

`connect(target)` takes what NEWSMATE_DB holds: a file path opens SQLite, a
`postgresql://` URL opens PostgreSQL (psycopg 3). Either way the table modules get a
`Database`: `execute(sql, params)` and `executemany` with `?` placeholders, tuples as rows,
`rowcount` and `lastrowid`, `transaction()`. SQL written once in the common subset of the
two (standard SQL, `INSERT ... ON CONFLICT ... DO UPDATE/NOTHING`, `excluded.`) runs on both.

Everything that differs between the engines lives here and nowhere else:
- placeholders (`?` becomes `%s`) and SQLite's `INSERT OR IGNORE` (`ON CONFLICT DO NOTHING`);
- schema DDL (types, identity keys, `WITHOUT ROWID`), the schema version (PRAGMA
  user_version / a one-row table), introspection (tables, columns, keys);
- locks: SQLite's BEGIN IMMEDIATE is one writer at a time; on PostgreSQL `lock(name)`
  takes a transaction-scoped advisory lock where the code relies on that;
- full-text search: FTS5 over Kiwi morphemes, or tsvectors (`simple` configuration, GIN
  indexes) over the same morphemes cut into the same tokens, ranked by the same BM25.
JSON is kept as text and times as ISO 8601 text or epoch seconds on both engines, so
neither needs translating.
"""

from __future__ import annotations

import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

SQLITE, POSTGRES = "sqlite", "postgresql"


def is_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def connect(target: str | Path) -> Database:
    """A connection to the store at `target` (a file path, or a postgresql:// URL)."""
    if is_url(target):
        return _connect_postgres(str(target))
    path = str(target)
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    # check_same_thread=False: the bot runs store calls in a worker thread; each
    # connection is still used by one thread at a time (see handlers.services).
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    # WAL lets the bot read while a separate `newsmate ingest` process writes; the busy
    # timeout makes a writer wait for the other instead of failing at once.
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=30000")
    return Database(conn, SQLITE, path)


class Database:
    """One connection to the store. `db.conn` is the Database itself, so code written for
    sqlite-utils' `db.conn.execute(...)` reads the same."""

    def __init__(self, raw: Any, engine: str, target: str) -> None:
        self.raw = raw  # the sqlite3 or psycopg connection
        self.engine = engine
        self.target = target
        self._depth = 0  # transaction() nesting
        self._entered: list[Any] = []
        if engine == SQLITE:
            # No translation and no wrapping: the SQLite path costs what it always did.
            self.execute = raw.execute  # type: ignore[method-assign]
            self.executemany = raw.executemany  # type: ignore[method-assign]

    @property
    def conn(self) -> Database:
        return self

    @property
    def is_postgres(self) -> bool:
        return self.engine == POSTGRES

    def execute(self, sql: str, params: Sequence[Any] | dict = ()) -> Any:
        # Always a sequence, even an empty one: psycopg then reads `%%` as `%`.
        return _PgCursor(self.raw.execute(postgres_sql(sql), params or ()), self.raw)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> Any:
        cur = self.raw.cursor()
        cur.executemany(postgres_sql(sql), list(rows))
        return _PgCursor(cur, self.raw)

    def insert_many(self, sql: str, rows: Sequence[Sequence[Any]], types: Sequence[str]) -> None:
        """executemany of an `INSERT ... VALUES (?, ...)` (ON CONFLICT clauses included).
        On PostgreSQL it is one statement over one array a column (`SELECT * FROM
        unnest(...)`): many rows cost one execution and one round trip, not one each.
        `types` are the columns' PostgreSQL types, for the arrays; rows are inserted in
        the order given (upserts lock rows in that order)."""
        if not rows:
            return
        if self.engine == SQLITE:
            self.raw.executemany(sql, rows)
            return
        self.raw.execute(_over_arrays(sql, tuple(types)), [list(c) for c in zip(*rows)])

    def close(self) -> None:
        self.raw.close()

    @contextmanager
    def transaction(self) -> Iterator[Database]:
        """One transaction (BEGIN IMMEDIATE on SQLite: the write lock at once); an inner
        one joins the outer."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.raw.execute("BEGIN IMMEDIATE" if self.engine == SQLITE else "BEGIN")
        self._depth = 1
        try:
            yield self
            self.raw.execute("COMMIT")
        except BaseException:
            self.raw.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def __enter__(self) -> Database:
        """`with db:` is `with db.transaction():`."""
        tx = self.transaction()
        self._entered.append(tx)
        return tx.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._entered.pop().__exit__(*exc)

    def lock(self, name: str) -> None:
        """Serialise with every other transaction taking the same lock, until this one
        ends. SQLite's BEGIN IMMEDIATE already admits one writer at a time."""
        if self.engine == POSTGRES:
            self.raw.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"newsmate:{name}"])


def skip_locked(db: Database, alias: str) -> str:
    """`FOR UPDATE OF alias SKIP LOCKED` on PostgreSQL: rows another transaction is
    claiming are passed over, not waited for (SQLite has one writer at a time anyway)."""
    return f" FOR UPDATE OF {alias} SKIP LOCKED" if db.is_postgres else ""


def notify(db: Database, channel: str) -> None:
    """Wake whoever listens on `channel` when this transaction commits (PostgreSQL)."""
    if db.is_postgres:
        db.raw.execute(f"NOTIFY {channel}")


class Listener:
    """A connection of its own that LISTENs on a channel (PostgreSQL only)."""

    def __init__(self, url: str, channel: str) -> None:
        import psycopg

        self._conn = psycopg.connect(url, autocommit=True)
        self._conn.execute(f"LISTEN {channel}")

    def wait(self, timeout: float) -> bool:
        """True when a notification came within `timeout` seconds (all pending are read)."""
        got = False
        for _ in self._conn.notifies(timeout=timeout, stop_after=1):
            got = True
        return got

    def close(self) -> None:
        self._conn.close()


def listener(target: str | Path, channel: str) -> Listener | None:
    """A Listener on `channel` of the store at `target`; None for SQLite (poll instead)."""
    return Listener(str(target), channel) if is_url(target) else None


class _PgCursor:
    """psycopg's cursor with the sqlite3 cursor's `lastrowid`."""

    __slots__ = ("_cur", "_raw")

    def __init__(self, cur: Any, raw: Any) -> None:
        self._cur, self._raw = cur, raw

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cur)

    def fetchone(self) -> tuple | None:
        return self._cur.fetchone() if self._cur.description else None

    def fetchall(self) -> list[tuple]:
        return self._cur.fetchall() if self._cur.description else []

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def lastrowid(self) -> int | None:
        # lastval(): the id the connection's last INSERT drew from a sequence, as
        # sqlite3's lastrowid is the rowid of its last INSERT.
        return self._raw.execute("SELECT lastval()").fetchone()[0]


def _connect_postgres(url: str) -> Database:
    import psycopg
    from psycopg.types.numeric import FloatLoader

    raw = psycopg.connect(url, autocommit=True)
    # The search's BM25 query is long and its cost estimate high, so PostgreSQL would
    # JIT-compile it every time: about 100 ms a question for a query that runs in 2.
    raw.execute("SET jit = off")
    # sum() and avg() give numeric, which psycopg reads as Decimal; the store computes
    # with floats, as it does with SQLite's REAL.
    raw.adapters.register_loader("numeric", FloatLoader)
    return Database(raw, POSTGRES, url)


# -- SQL translation (PostgreSQL) -------------------------------------------------------------

# Words PostgreSQL reserves that the store uses as column names (name_aliases.full).
_RESERVED = r"\bfull\b(?!\s+(?:outer\s+)?join)"
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%|" + _RESERVED, re.IGNORECASE)
_DDL_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|" + _RESERVED,
                        re.IGNORECASE)


def _quote_reserved(match: re.Match[str]) -> str:
    word = match.group(0)
    return f'"{word.lower()}"' if word[0] not in "'\"-" else word


def _to_psycopg(match: re.Match[str]) -> str:
    word = match.group(0)
    if word == "?":
        return "%s"
    if word[0] in "'\"-%":  # psycopg reads every % of the query, in literals too
        return word.replace("%", "%%")
    return _quote_reserved(match)
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+", re.IGNORECASE)
_NOT_PORTABLE = re.compile(r"^\s*(INSERT\s+OR\s+REPLACE|REPLACE\s+INTO|UPDATE\s+OR|PRAGMA)\b",
                           re.IGNORECASE)


@lru_cache(maxsize=4096)
def postgres_sql(sql: str) -> str:
    """`?` placeholders as psycopg's `%s` (a literal `%` doubled); `INSERT OR IGNORE` as
    `ON CONFLICT DO NOTHING`; `BEGIN IMMEDIATE` as BEGIN; a column named with a word
    PostgreSQL reserves (`full`) quoted. SQLite-only statements fail loudly here rather
    than half-working."""
    if _NOT_PORTABLE.match(sql):
        raise ValueError(f"SQLite-only statement (write it portably): {sql.strip()[:60]}")
    if re.match(r"^\s*BEGIN\s+(IMMEDIATE|EXCLUSIVE|DEFERRED)\s*$", sql, re.IGNORECASE):
        return "BEGIN"
    ignore = bool(_OR_IGNORE.match(sql))
    if ignore:
        sql = _OR_IGNORE.sub("INSERT ", sql, count=1)
    out = _TOKEN.sub(_to_psycopg, sql)
    if ignore:
        out = out.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
    return out


_VALUES = re.compile(r"\bVALUES\s*\(\s*\?(?:\s*,\s*\?)*\s*\)", re.IGNORECASE)


@lru_cache(maxsize=256)
def _over_arrays(sql: str, types: tuple[str, ...]) -> str:
    """`INSERT ... VALUES (?, ?)` as `INSERT ... SELECT * FROM unnest(?::t1[], ?::t2[])`."""
    values = _VALUES.search(sql)
    if values is None or values.group(0).count("?") != len(types):
        raise ValueError(f"not an INSERT ... VALUES with {len(types)} columns: {sql[:60]}")
    arrays = ", ".join(f"?::{t}[]" for t in types)
    return postgres_sql(f"{sql[:values.start()]}SELECT * FROM unnest({arrays}){sql[values.end():]}")


_DDL_TYPES = [
    (re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE),
     "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),  # chat ids and band hashes are 64-bit
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),  # epoch seconds need 53 bits
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.IGNORECASE), ")"),
    # SQLite compares text by code point (BINARY); so does the C collation, whatever the
    # database's default: ORDER BY and range scans over terms agree on both engines.
    # (Case-sensitive: the type is written TEXT, while sentences has a column named text.)
    (re.compile(r"(?<=\w )TEXT\b"), 'TEXT COLLATE "C"'),
]


def postgres_ddl(statement: str) -> str:
    """A CREATE TABLE / INDEX statement written for SQLite, in PostgreSQL's types."""
    if re.match(r"^\s*CREATE\s+(VIRTUAL\s+TABLE|TRIGGER)\b", statement, re.IGNORECASE):
        raise ValueError(f"SQLite-only DDL (give PostgreSQL its own): {statement.strip()[:60]}")
    for pattern, replacement in _DDL_TYPES:
        statement = pattern.sub(replacement, statement)
    return _DDL_TOKEN.sub(_quote_reserved, statement)


def split_statements(sql: str) -> Iterator[str]:
    """Complete statements of a script (sqlite3 knows where trigger bodies end)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:80]}")


def run_script(db: Database, sql: str) -> None:
    """Several statements inside the caller's transaction (sqlite3's executescript()
    would COMMIT first); PostgreSQL gets them in its own types."""
    for statement in split_statements(sql):
        if db.is_postgres:
            db.raw.execute(postgres_ddl(statement))
        else:
            db.raw.execute(statement)


# -- schema version and introspection --------------------------------------------------------


def schema_version(db: Database) -> int:
    if not db.is_postgres:
        return db.execute("PRAGMA user_version").fetchone()[0]
    # Read from pg_class with this statement's snapshot, not by to_regclass(): the catalog
    # cache of a transaction that waited for the migration lock may still hold "no such
    # table" from before another process created it, and would run migration 1 again.
    exists = db.raw.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = 'newsmate_schema' AND n.nspname = current_schema()"
    ).fetchone()[0]
    if not exists:
        return 0
    row = db.raw.execute("SELECT max(version) FROM newsmate_schema").fetchone()
    return int(row[0] or 0)


def set_schema_version(db: Database, version: int) -> None:
    if not db.is_postgres:
        db.execute(f"PRAGMA user_version = {int(version)}")
        return
    db.raw.execute("CREATE TABLE IF NOT EXISTS newsmate_schema (version BIGINT NOT NULL)")
    db.raw.execute("DELETE FROM newsmate_schema")
    db.raw.execute("INSERT INTO newsmate_schema (version) VALUES (%s)", [version])


# Kept by the engine itself (FTS5 shadow tables, the counters behind PostgreSQL's search):
# not the store's data, so not copied or listed.
_INTERNAL = re.compile(r"^(sqlite_|newsmate_schema$|newsmate_copy_progress$|fts_totals$|article_terms$|.*_fts_(data|idx|content|docsize|config)$"
                       r"|sentences_fts$)")


def tables(db: Database) -> list[str]:
    """The store's own tables, in creation order (parents before children)."""
    if db.is_postgres:
        rows = db.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname = current_schema() ORDER BY c.oid"
        )
    else:
        rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")
    return [r[0] for r in rows if not _INTERNAL.match(r[0])]


def has_table(db: Database, name: str) -> bool:
    return name in tables(db)


def columns(db: Database, table: str) -> list[str]:
    """Column names of `table` in order (articles_fts: rowid, title, body on both)."""
    if db.is_postgres:
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            [table],
        )
        names = [r[0] for r in rows]
        if table == "articles_fts":  # what the trigger derives is not copied
            return [n for n in names if n not in _PG_SEARCH_COLUMNS]
        return names
    names = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
    return (["rowid"] + names) if table == "articles_fts" else names


def primary_key(db: Database, table: str) -> list[str]:
    """The primary key's columns (articles_fts: rowid); [] when there is none."""
    if table == "articles_fts":
        return ["rowid"]
    if db.is_postgres:
        rows = db.execute(
            "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
            " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = ?::regclass AND i.indisprimary"
            " ORDER BY array_position(i.indkey, a.attnum)",
            [table],
        )
        return [r[0] for r in rows]
    info = sorted((r[5], r[1]) for r in db.execute(f'PRAGMA table_info("{table}")') if r[5])
    return [name for _, name in info]


def reset_identity(db: Database, table: str, column: str) -> None:
    """After rows were copied in with their ids, new ids continue after the largest."""
    if not db.is_postgres:
        return  # SQLite's next rowid is always past the largest
    sequence = db.execute("SELECT pg_get_serial_sequence(?, ?)", [table, column]).fetchone()[0]
    if sequence:
        db.execute(f'SELECT setval(?, coalesce(max("{column}"), 0) + 1, false) FROM "{table}"',
                   [sequence])


# -- full-text search ------------------------------------------------------------------------

# unicode61 (remove_diacritics 0), FTS5's tokenizer here: runs of letters and digits,
# case folded. PostgreSQL's own parser would keep '2.0', 'e-mail' or URLs whole, so the
# morphemes are cut into these same runs before `to_tsvector('simple', ...)` reads them.
_RUN = re.compile(r"[^\W_]+")


def index_tokens(text: str) -> list[str]:
    """The search index's tokens of a text, in order (the same on both engines)."""
    return _RUN.findall(text.lower())


def _fts5_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_expression(terms: list[str]) -> str:
    """An FTS5 query that matches any of `terms`, each as a quoted literal string."""
    unique = dict.fromkeys(t for t in terms if t.strip())
    return " OR ".join(_fts5_string(t) for t in unique)


def _tsquery_phrase(tokens: list[str]) -> str:
    return " <-> ".join("'" + t.replace("'", "''").replace("\\", "\\\\") + "'" for t in tokens)


def _phrases(terms: list[str]) -> list[tuple[str, list[str]]]:
    """Each distinct term with its tokens (a phrase when several; none: matches nothing)."""
    unique = dict.fromkeys(t for t in terms if t.strip())
    return [(t, toks) for t in unique if (toks := index_tokens(t))]


def _tsquery(phrases: list[tuple[str, list[str]]]) -> str:
    return " | ".join(f"({_tsquery_phrase(toks)})" for _, toks in phrases)


K1, B = 1.2, 0.75  # FTS5's bm25() constants


def bm25_scores(
    rows: list[tuple[int, int, list[dict[str, list[int]]]]],
    phrases: list[tuple[str, list[str]]],
    weights: list[float],
    total_rows: int,
    total_tokens: int,
) -> list[tuple[int, float]]:
    """FTS5's bm25() (negated: higher is better) for rows of (rowid, size in tokens,
    per column {token: positions}), computed as FTS5 computes it, in the same order."""
    avgdl = total_tokens / total_rows if total_rows else 1.0
    freqs: list[list[float]] = []
    hits = [0] * len(phrases)
    for _, _, cols in rows:
        row_freq = []
        for i, (_, toks) in enumerate(phrases):
            f = 0.0
            for c, positions in enumerate(cols):
                n = _phrase_count(positions, toks)
                for _ in range(n):
                    f += weights[c]
            row_freq.append(f)
            if f:
                hits[i] += 1
        freqs.append(row_freq)
    idf = []
    for n_hit in hits:
        value = math.log((total_rows - n_hit + 0.5) / (n_hit + 0.5))
        idf.append(value if value > 0.0 else 1e-6)
    scored = []
    for (rowid, size, _), row_freq in zip(rows, freqs):
        score = 0.0
        for i, f in enumerate(row_freq):
            score += idf[i] * ((f * (K1 + 1.0)) / (f + K1 * (1 - B + B * size / avgdl)))
        scored.append((rowid, score))
    return scored


def _phrase_count(positions: dict[str, list[int]], tokens: list[str]) -> int:
    first = positions.get(tokens[0])
    if not first:
        return 0
    if len(tokens) == 1:
        return len(first)
    rest = [set(positions.get(t, ())) for t in tokens[1:]]
    return sum(all(p + k + 1 in s for k, s in enumerate(rest)) for p in first)


def _float(x: float) -> str:
    return f"{x!r}::float8"


def _positions(column: str, token: str) -> str:
    assert _RUN.fullmatch(token), token  # index tokens are letters and digits only
    return (f"coalesce((SELECT u.positions FROM unnest({column}) u WHERE u.lexeme = '{token}'),"
            " '{}')")


def _phrase_sql(column: str, tokens: list[str]) -> str:
    """How often the phrase occurs in the column (its tokens at consecutive positions)."""
    if len(tokens) == 1:
        return f"cardinality({_positions(column, tokens[0])})"
    rest = " AND ".join(f"x + {k} = ANY({_positions(column, t)})"
                        for k, t in enumerate(tokens[1:], start=1))
    return f"(SELECT count(*) FROM unnest({_positions(column, tokens[0])}) x WHERE {rest})"


def _bm25_sql(phrases: list[tuple[str, list[str]]], weights: list[float],
              dated: bool = False) -> str:
    """FTS5's bm25() over articles_fts in SQL, in FTS5's own order of float operations, so
    scores come out equal to the last bit (ties go to the lower rowid, as FTS5's do).

    A one-token term's frequencies come from article_terms, by term (FTS5's posting list);
    a phrase ('2.0' is 2 then 0) is counted in the tsvectors of the rows the GIN indexes
    find for it. `dated`: only articles published by a time (or undated), the statistics
    still those of the whole index, as FTS5's are under a WHERE on another table.
    Parameters: that time when `dated`, then the limit."""
    title_w, body_w = (_float(w) for w in weights)
    sources = []
    for i, (_, toks) in enumerate(phrases):
        if len(toks) == 1:
            assert _RUN.fullmatch(toks[0]), toks[0]
            sources.append(f"SELECT {i} AS i, rowid, size::float8 AS d, {title_w} * in_title"
                           f" + {body_w} * in_body AS f FROM article_terms"
                           f" WHERE term = '{toks[0]}'")
        else:
            query = "'" + _tsquery_phrase(toks).replace("'", "''") + "'"
            lexemes = "ARRAY[" + ", ".join(f"'{t}'" for t in toks) + "]"
            sources.append(
                f"SELECT {i} AS i, rowid, size::float8 AS d, {title_w} * {_phrase_sql('c0', toks)}"
                f" + {body_w} * {_phrase_sql('c1', toks)} AS f FROM (SELECT rowid, size,"
                f" ts_filter(setweight(title_tsv, 'B', {lexemes}), '{{b}}') AS c0,"
                f" ts_filter(setweight(body_tsv, 'B', {lexemes}), '{{b}}') AS c1"
                f" FROM articles_fts WHERE title_tsv @@ {query}::tsquery"
                f" OR body_tsv @@ {query}::tsquery) p"
            )
    k1, b = _float(K1), _float(B)
    # Each posting's share of the score, summed per row in phrase order: FTS5 adds the
    # phrases in order too, and the phrases a row lacks add exactly 0.0, so the sums are
    # FTS5's to the last bit. (Per posting, not per row and phrase: a common word's
    # thousands of rows are not scored once for every other word of the question.)
    idf = "ln((tot.n - count(*) + 0.5::float8) / (count(*) + 0.5::float8))"
    norm = f"{k1} * ((1::float8 - {b}) + {b} * x.d / tot.avgdl)"
    part = f"idf.w * ((x.f * ({k1} + 1.0::float8)) / (x.f + {norm}))"
    return (
        "WITH tot AS (SELECT articles::float8 AS n,"
        " article_tokens::float8 / greatest(articles, 1)::float8 AS avgdl FROM fts_totals),"
        f" x AS ({' UNION ALL '.join(sources)}),"
        f" idf AS (SELECT i, CASE WHEN {idf} > 0 THEN {idf} ELSE 1e-6::float8 END AS w"
        " FROM x, tot WHERE f > 0 GROUP BY i, tot.n),"
        f" scored AS (SELECT x.rowid, sum({part} ORDER BY x.i) AS s"
        " FROM x JOIN idf ON idf.i = x.i, tot WHERE x.f > 0 GROUP BY x.rowid)"
        " SELECT scored.rowid, scored.s FROM scored"
        + (", articles a WHERE a.id = scored.rowid AND (a.published_at IS NULL"
           " OR a.published_at <= ?)" if dated else "")
        + " ORDER BY s DESC, rowid LIMIT ?"
    )


# What PostgreSQL keeps beside a searched text: tsvectors of the index tokens, the size
# in tokens (BM25's document length), term frequencies, and the totals in fts_totals.
_PG_SEARCH_COLUMNS = {"title_tsv", "body_tsv", "size", "sentences", "sentence_tokens",
                      "sentence_words"}

# The pieces of the articles_fts triggers (migration 1, and migration 14's deferred
# totals): an index row's tsvectors, sizes and term rows; the totals it adds or takes.
_PG_INDEX_ROW = r"""
        NEW.title_tsv := newsmate_tsv(NEW.title);
        NEW.body_tsv := newsmate_tsv(NEW.body);
        NEW.size := newsmate_size(NEW.title) + newsmate_size(NEW.body);
        -- The article's sentences are written before its index row (store.articles).
        SELECT count(*), coalesce(sum(newsmate_size(morphs)), 0),
               coalesce(sum(length(morphs) - length(replace(morphs, ' ', '')) + 1), 0)
          INTO NEW.sentences, NEW.sentence_tokens, NEW.sentence_words
          FROM sentences WHERE article_id = NEW.rowid;
        INSERT INTO article_terms (term, rowid, in_title, in_body, size)
        SELECT coalesce(t.lexeme, b.lexeme), NEW.rowid, coalesce(cardinality(t.positions), 0),
               coalesce(cardinality(b.positions), 0), NEW.size
          FROM unnest(NEW.title_tsv) t FULL JOIN unnest(NEW.body_tsv) b ON b.lexeme = t.lexeme;
"""
_PG_ADD_TOTALS = r"""
        UPDATE fts_totals SET articles = articles + 1, article_tokens = article_tokens + NEW.size,
            sentences = sentences + NEW.sentences,
            sentence_tokens = sentence_tokens + NEW.sentence_tokens,
            sentence_words = sentence_words + NEW.sentence_words, generation = generation + 1;
"""
_PG_TAKE_TOTALS = r"""
    UPDATE fts_totals SET articles = articles - 1, article_tokens = article_tokens - OLD.size,
        sentences = sentences - OLD.sentences,
        sentence_tokens = sentence_tokens - OLD.sentence_tokens,
        sentence_words = sentence_words - OLD.sentence_words, generation = generation + 1;
"""

PG_SEARCH_SCHEMA = r"""
-- COLLATE "default": letters are what the database's LC_CTYPE says (Hangul included),
-- not what the C collation of the text columns says (ASCII only).
CREATE FUNCTION newsmate_tokens(t text) RETURNS text IMMUTABLE PARALLEL SAFE
    LANGUAGE sql AS $$ SELECT regexp_replace(t COLLATE "default", '[^[:alnum:]]+', ' ', 'g') $$;
CREATE FUNCTION newsmate_tsv(t text) RETURNS tsvector IMMUTABLE PARALLEL SAFE
    LANGUAGE sql AS $$ SELECT to_tsvector('simple'::regconfig, newsmate_tokens(t)) $$;
CREATE FUNCTION newsmate_size(t text) RETURNS integer IMMUTABLE PARALLEL SAFE
    LANGUAGE sql AS $$ SELECT regexp_count(t COLLATE "default", '[[:alnum:]]+') $$;
-- SQLite's instr(), which the store's SQL uses.
CREATE FUNCTION instr(haystack text, needle text) RETURNS integer IMMUTABLE PARALLEL SAFE
    LANGUAGE sql AS $$ SELECT strpos(haystack, needle) $$;

-- BM25's collection statistics, one row changed once per article written.
CREATE TABLE fts_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    articles BIGINT NOT NULL DEFAULT 0,
    article_tokens BIGINT NOT NULL DEFAULT 0,
    sentences BIGINT NOT NULL DEFAULT 0,
    sentence_tokens BIGINT NOT NULL DEFAULT 0,
    sentence_words BIGINT NOT NULL DEFAULT 0,  -- space-separated morphemes (sentence_stats)
    generation BIGINT NOT NULL DEFAULT 0       -- changes with every change of the index
) WITH (fillfactor = 10);
INSERT INTO fts_totals (id) VALUES (1);

-- fastupdate off: a pending list that every search reads through grows with each insert
-- between vacuums, which on a busy store means slower answers the faster news arrives.
CREATE INDEX sentences_tsv ON sentences USING gin (newsmate_tsv(morphs)) WITH (fastupdate = off);

CREATE TABLE articles_fts (
    rowid BIGINT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    title_tsv tsvector NOT NULL,
    body_tsv tsvector NOT NULL,
    size INTEGER NOT NULL,                     -- index tokens of title and body
    sentences INTEGER NOT NULL,                -- the article's sentences, counted when indexed
    sentence_tokens BIGINT NOT NULL,
    sentence_words BIGINT NOT NULL
);
CREATE INDEX articles_fts_title ON articles_fts USING gin (title_tsv) WITH (fastupdate = off);
CREATE INDEX articles_fts_body ON articles_fts USING gin (body_tsv) WITH (fastupdate = off);
-- Term frequencies per article (what FTS5's posting lists hold): BM25 reads these by
-- term instead of opening every matching row's tsvectors.
CREATE TABLE article_terms (
    term TEXT COLLATE "C" NOT NULL,
    rowid BIGINT NOT NULL,
    in_title INTEGER NOT NULL,
    in_body INTEGER NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (term, rowid) INCLUDE (in_title, in_body, size)
);
CREATE INDEX article_terms_rowid ON article_terms (rowid);
CREATE FUNCTION newsmate_articles_fts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN""" + _PG_INDEX_ROW + _PG_ADD_TOTALS[1:] + r"""        RETURN NEW;
    END IF;
    DELETE FROM article_terms WHERE rowid = OLD.rowid;""" + _PG_TAKE_TOTALS + r"""    RETURN OLD;
END $$;
CREATE TRIGGER articles_fts_index BEFORE INSERT OR DELETE ON articles_fts
    FOR EACH ROW EXECUTE FUNCTION newsmate_articles_fts();
"""


# Migration 14: the totals change at COMMIT, not at the index row's INSERT. fts_totals is
# one row every article's transaction updates; updated in the INSERT, it was locked from
# there to the commit, and a second ingest worker's whole write waited for it (the
# advisory lock only serialises the part after it: store.articles). A deferred constraint
# trigger takes the row in the commit itself, so the article's search index is built in
# parallel with the other workers' and only the one-row update takes turns.
PG_DEFERRED_TOTALS = r"""
CREATE OR REPLACE FUNCTION newsmate_articles_fts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN""" + _PG_INDEX_ROW + r"""        RETURN NEW;
    END IF;
    DELETE FROM article_terms WHERE rowid = OLD.rowid;
    RETURN OLD;
END $$;
CREATE OR REPLACE FUNCTION newsmate_fts_totals() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN""" + _PG_ADD_TOTALS + r"""    ELSE""" + _PG_TAKE_TOTALS + r"""    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS articles_fts_totals ON articles_fts;  -- a store migrated again (tests)
CREATE CONSTRAINT TRIGGER articles_fts_totals AFTER INSERT OR DELETE ON articles_fts
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION newsmate_fts_totals();
"""


def defer_search_totals(db: Database) -> None:
    """Migration 14 on PostgreSQL (SQLite's FTS5 keeps its totals itself)."""
    if db.is_postgres:
        db.raw.execute(PG_DEFERRED_TOTALS)


def create_search_schema(db: Database) -> None:
    """Migration 1's search index on PostgreSQL (FTS5 tables and triggers on SQLite)."""
    db.raw.execute(PG_SEARCH_SCHEMA)


def check_postgres(db: Database) -> None:
    """Refuse a database whose character class rules do not know Hangul as letters (an
    LC_CTYPE of C): its index would hold no Korean word at all."""
    if db.is_postgres:
        ok = db.raw.execute("SELECT regexp_count('카카오 ai', '[[:alnum:]]+') = 2").fetchone()[0]
        if not ok:
            raise RuntimeError(
                "PostgreSQL 데이터베이스의 LC_CTYPE이 한글을 글자로 알지 못해요 (예: C). "
                "LC_CTYPE을 C.UTF-8 같은 UTF-8 로캘로 만든 데이터베이스를 써 주세요."
            )


class Search:
    """The full-text queries, FTS5 or tsvector: `Search.of(db)`."""

    @staticmethod
    def of(db: Database) -> Search:
        return _PG_SEARCH if db.is_postgres else _SQLITE_SEARCH


class _SQLiteSearch(Search):
    # fts5vocab tables live in the connection's temp schema: views of the index, not part
    # of the store's schema; SQLite answers `term IN (...)` by seeking the index.
    _VOCAB = {"sentences_fts": "newsmate_sentences_vocab", "articles_fts": "newsmate_articles_vocab"}

    def articles(self, db: Database, terms: list[str], limit: int, title_weight: float,
                 published_by: str | None = None) -> list[tuple[int, float]]:
        expr = match_expression(terms)
        if not expr:
            return []
        if published_by is None:
            rows = db.execute(
                "SELECT rowid, bm25(articles_fts, ?, 1.0) AS s FROM articles_fts"
                " WHERE articles_fts MATCH ? ORDER BY s LIMIT ?",
                [title_weight, expr, limit],
            )
        else:
            rows = db.execute(
                "SELECT f.rowid, bm25(articles_fts, ?, 1.0) AS s FROM articles_fts f"
                " JOIN articles a ON a.id = f.rowid"
                " WHERE articles_fts MATCH ? AND (a.published_at IS NULL OR a.published_at <= ?)"
                " ORDER BY s LIMIT ?",
                [title_weight, expr, published_by, limit],
            )
        return [(r[0], -r[1]) for r in rows]

    def sentences(self, db: Database, terms: list[str], limit: int) -> list[tuple]:
        expr = match_expression(terms)
        if not expr:
            return []
        rows = db.execute(
            "SELECT s.id, s.article_id, s.position, s.text, s.morphs, bm25(sentences_fts) AS b"
            " FROM sentences_fts JOIN sentences s ON s.id = sentences_fts.rowid"
            " WHERE sentences_fts MATCH ? ORDER BY b LIMIT ?",
            [expr, limit],
        )
        return [(*r[:5], -r[5]) for r in rows]

    def doc_counts(self, db: Database, terms: list[str], fts: str) -> dict[str, int]:
        name = self._VOCAB[fts]
        db.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{name} USING fts5vocab(main, {fts}, row)"
        )
        marks = ",".join("?" * len(terms))
        rows = db.execute(f"SELECT term, doc FROM temp.{name} WHERE term IN ({marks})", terms)
        return {r[0]: r[1] for r in rows}

    def phrase_count(self, db: Database, term: str, fts: str) -> int:
        expr = match_expression([term])
        if not expr:
            return 0
        return db.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", [expr]).fetchone()[0]

    def generation(self, db: Database) -> tuple[int, int]:
        version = db.execute("PRAGMA data_version").fetchone()[0]
        last = db.execute("SELECT max(id) FROM sentences").fetchone()[0] or 0
        return version, last

    def sentence_stats(self, db: Database) -> tuple[int, float]:
        row = db.execute(
            "SELECT count(*), avg(length(morphs) - length(replace(morphs, ' ', '')) + 1)"
            " FROM sentences"
        ).fetchone()
        return int(row[0] or 0), float(row[1] or 1.0)


class _PostgresSearch(Search):
    # Articles holding every term in title or body together, as FTS5's AND finds them.
    matching_sql = "SELECT rowid FROM articles_fts WHERE (title_tsv || body_tsv) @@ ?::tsquery"

    def all_terms(self, terms: list[str]) -> str:
        phrases = _phrases(terms)
        if len(phrases) < len(dict.fromkeys(t for t in terms if t.strip())):
            return "'newsmate:none'"  # a term with no index token matches nothing, as in FTS5
        return " & ".join(f"({_tsquery_phrase(toks)})" for _, toks in phrases)

    def _totals(self, db: Database) -> tuple[int, int, int, int]:
        """Sentences, their index tokens and their words, and the index generation."""
        return db.execute(
            "SELECT sentences, sentence_tokens, sentence_words, generation FROM fts_totals"
        ).fetchone()

    def articles(self, db: Database, terms: list[str], limit: int, title_weight: float,
                 published_by: str | None = None) -> list[tuple[int, float]]:
        phrases = _phrases(terms)
        if not phrases:
            return []
        sql = _bm25_sql(phrases, [title_weight, 1.0], dated=published_by is not None)
        args = [limit] if published_by is None else [published_by, limit]
        rows = db.execute(sql, args).fetchall()
        return [(r[0], r[1]) for r in rows]

    def sentences(self, db: Database, terms: list[str], limit: int) -> list[tuple]:
        phrases = _phrases(terms)
        if not phrases:
            return []
        rows = db.execute(
            "SELECT id, article_id, position, text, morphs FROM sentences"
            " WHERE newsmate_tsv(morphs) @@ ?::tsquery",
            [_tsquery(phrases)],
        ).fetchall()
        total_rows, total_tokens, _, _ = self._totals(db)
        by_id = {r[0]: r for r in rows}
        parsed = []
        for r in rows:
            positions: dict[str, list[int]] = {}
            tokens = index_tokens(r[4])
            for i, tok in enumerate(tokens, start=1):
                positions.setdefault(tok, []).append(i)
            parsed.append((r[0], len(tokens), [positions]))
        scored = bm25_scores(parsed, phrases, [1.0], total_rows, total_tokens)
        scored.sort(key=lambda s: (-s[1], s[0]))
        return [(*by_id[i][:5], score) for i, score in scored[:limit]]

    def doc_counts(self, db: Database, terms: list[str], fts: str) -> dict[str, int]:
        # Only index terms themselves, as a vocabulary lookup on SQLite finds them.
        words = [t for t in terms if index_tokens(t) == [t]]
        if not words:
            return {}
        if fts == "articles_fts":
            rows = db.execute("SELECT term, count(*) FROM article_terms WHERE term = ANY(?)"
                              " GROUP BY term", [words])
            return {r[0]: r[1] for r in rows}
        found = {t: self.phrase_count(db, t, fts) for t in words}
        return {t: n for t, n in found.items() if n}

    def phrase_count(self, db: Database, term: str, fts: str) -> int:
        phrases = _phrases([term])
        if not phrases:
            return 0
        query = _tsquery(phrases)
        tokens = phrases[0][1]
        if fts == "articles_fts" and len(tokens) == 1:
            return db.execute("SELECT count(*) FROM article_terms WHERE term = ?",
                              tokens).fetchone()[0]
        if fts == "articles_fts":
            sql = ("SELECT count(*) FROM articles_fts"
                   " WHERE title_tsv @@ ?::tsquery OR body_tsv @@ ?::tsquery")
            return db.execute(sql, [query, query]).fetchone()[0]
        return db.execute(
            "SELECT count(*) FROM sentences WHERE newsmate_tsv(morphs) @@ ?::tsquery", [query]
        ).fetchone()[0]

    def generation(self, db: Database) -> tuple[int, int]:
        rows, _, _, generation = self._totals(db)
        return generation, rows

    def sentence_stats(self, db: Database) -> tuple[int, float]:
        rows, _, words, _ = self._totals(db)
        return int(rows or 0), (words / rows if rows else 1.0)


_SQLITE_SEARCH, _PG_SEARCH = _SQLiteSearch(), _PostgresSearch()
