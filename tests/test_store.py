"""The store: migrations, one transaction per article, the Kiwi-morpheme index; on SQLite
and on PostgreSQL."""

from __future__ import annotations

import sqlite3

import pytest

from analysis import morph
from ingest.article_input import ArticleInput
from ingest.pipeline import ingest_items
from store import open_db
from store.articles import count_articles, latest_articles
from store.chats import last_answer_articles, remember_answer
from store.engine import Database, schema_version, set_schema_version
from store.migrations import MIGRATIONS, _v8_term_counts
from store.search import match_expression, search_articles, search_sentences
from tests.test_ingest_kill import assert_index_intact

both_engines = pytest.mark.both_engines


def article(n: int, body: str, title: str = "", day: int = 1) -> ArticleInput:
    return ArticleInput(
        title=title or f"기사 {n}", body=body, url=f"https://news.example.com/{n}",
        publisher="예시신문", published_at=f"2025-03-{day:02d}T09:00:00+09:00", source_id=f"a{n}",
    )


@both_engines
def test_fresh_store_is_at_newest_schema_in_wal(new_store, store_engine: str) -> None:
    target = new_store("s")
    db = open_db(target)
    assert schema_version(db) == len(MIGRATIONS)
    if store_engine == "sqlite":
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.conn.close()
    # Opening again applies nothing twice.
    again = open_db(target)
    assert schema_version(again) == len(MIGRATIONS)


@both_engines
def test_particles_do_not_split_a_word_in_the_index(fresh_db: Database) -> None:
    ingest_items(fresh_db, [
        article(1, "카카오가 새 모델을 공개했다."),
        article(2, "카카오는 서비스를 늘린다."),
        article(3, "카카오의 전략이 바뀌었다."),
        article(4, "카카오페이가 결제 서비스를 개편했다."),
        article(5, "한국 시장이 커졌다."),
    ])
    found = {h.article_id for h in search_sentences(fresh_db, morph.content_morphemes("카카오"))}
    assert len(found) == 3  # 카카오가/는/의, not 카카오페이
    assert search_sentences(fresh_db, morph.content_morphemes("한국"))  # two-syllable words match


@both_engines
def test_reingest_is_unchanged_and_edit_replaces_sentences(fresh_db: Database) -> None:
    first = ingest_items(fresh_db, [article(1, "첫 문장이다. 둘째 문장이다.")])
    again = ingest_items(fresh_db, [article(1, "첫 문장이다. 둘째 문장이다.")])
    edited = ingest_items(fresh_db, [article(1, "고친 문장 하나만 남았다.")])
    assert (first.new, again.unchanged, edited.updated) == (1, 1, 1)
    assert count_articles(fresh_db) == 1
    rows = fresh_db.execute("SELECT text FROM sentences").fetchall()
    assert rows == [("고친 문장 하나만 남았다.",)]
    assert not search_sentences(fresh_db, ["둘째"])  # index rows went with the sentences
    assert_index_intact(fresh_db.target)  # the totals (at COMMIT on PostgreSQL) took the old out


@both_engines
def test_a_failed_write_leaves_nothing_half_written(fresh_db: Database, store_engine: str) -> None:
    ingest_items(fresh_db, [article(1, "원래 문장이다.")])
    if store_engine == "sqlite":
        fresh_db.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON sentences WHEN new.text LIKE '%폭발%'"
            " BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
    else:
        fresh_db.raw.execute(
            "CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS"
            " $$ BEGIN RAISE EXCEPTION 'boom'; END $$;"
            " CREATE TRIGGER boom BEFORE INSERT ON sentences FOR EACH ROW"
            " WHEN (new.text LIKE '%폭발%') EXECUTE FUNCTION boom()"
        )
    report = ingest_items(fresh_db, [article(1, "바뀐 문장이다. 폭발 문장이다."), article(2, "다른 기사다.")])
    assert report.failed == 1 and report.new == 1
    texts = [r[0] for r in fresh_db.execute("SELECT text FROM sentences ORDER BY id")]
    assert texts == ["원래 문장이다.", "다른 기사다."]  # the old version survived whole


@both_engines
@pytest.mark.parametrize("hostile", ['"', '*', 'AND', 'NOT x', 'NEAR(a b)', '(', 'a:b', '^x', "''"])
def test_fts_syntax_in_terms_is_literal(fresh_db: Database, hostile: str) -> None:
    ingest_items(fresh_db, [article(1, "평범한 문장이다.")])
    search_articles(fresh_db, [hostile, "문장"])  # must not raise
    assert match_expression(['a"b']) == '"a""b"'


@both_engines
def test_latest_orders_by_publication(fresh_db: Database) -> None:
    ingest_items(fresh_db, [article(1, "하나.", day=3), article(2, "둘.", day=9), article(3, "셋.", day=5)])
    assert [a.title for a in latest_articles(fresh_db, 3)] == ["기사 2", "기사 3", "기사 1"]


def test_store_opens_while_another_connection_writes(tmp_path) -> None:
    path = tmp_path / "w.db"
    writer = open_db(path)
    writer.conn.execute("BEGIN IMMEDIATE")
    reader = open_db(path)  # WAL: readers are not blocked by a writer
    assert reader.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
    writer.conn.execute("ROLLBACK")
    with pytest.raises(sqlite3.OperationalError):
        reader.execute("SELECT * FROM no_such_table")


@pytest.mark.parametrize(
    "text,expected",
    [("KT의 믿:음 2.0을 공개했다", ["믿음"]), ("검색 서비스 '큐:(Cue:)'를 내놨다", ["큐"]),
     ("시간: 10시", []), ("비율은 3:1이다", [])],
)
def test_brand_names_with_a_colon_are_index_terms(text: str, expected: list[str]) -> None:
    assert morph.colon_names(text) == expected
    terms = morph.content_morphemes(text)
    for name in expected:
        assert terms.count(name) == 1  # kept once, whether Kiwi found it or not


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("갤럭시 S8의 배터리", ["갤럭시", "s", "8", "s8", "배터리"]),
        ("HBM3E 12단", ["hbm", "3", "e", "hbm3e", "12", "단"]),
        ("엔비디아 H100과 B200", ["엔비디아", "h", "100", "h100", "b", "200", "b200"]),
        ("2024년 AI 반도체", ["2024", "년", "ai", "반도체"]),  # no letters and digits in one word
        ("S 8 모델", ["s", "8", "모델"]),  # written apart: two words, no model name
    ],
)
def test_a_model_name_written_as_one_word_is_one_more_index_term(
        text: str, expected: list[str]) -> None:
    assert morph.index_terms(morph.tokens(text), text) == expected


def test_sentences_are_mended_where_kiwi_splits_off_a_quoted_name_or_a_period() -> None:
    # Kiwi ends a sentence after a quote that opens the next one ('…했다. "별빛"' + '로 …');
    # the quoted name belongs with its particle, in the next sentence.
    paragraph = '그해 가을 영화가 개봉했다. "별빛 아래"로 첫 솔로 무대를 꾸민 그는 두 번째 곡도 냈다.'
    found = morph.sentences(paragraph)
    assert [s.text for s in found] == [
        "그해 가을 영화가 개봉했다.", '"별빛 아래"로 첫 솔로 무대를 꾸민 그는 두 번째 곡도 냈다.']
    # Token offsets point into their own sentence.
    words = [[s.text[t.start:t.end] for t in s.tokens if t.tag.startswith("N")] for s in found]
    assert words[0][:2] == ["그해", "가을"] and words[1][:2] == ["별빛", "아래"]
    assert [s.text for s in morph.sentences('그는 "좋다"고 말했다. 그리고 떠났다.')] == [
        '그는 "좋다"고 말했다.', "그리고 떠났다."]
    # A period Kiwi leaves after a parenthesis ends the sentence before it, not the next.
    paragraph = "경기는 체크메이트로 끝난다.(김하늘 2003, 20쪽). 끝난 경기는 다시 두지 않는다."
    assert [s.text for s in morph.sentences(paragraph)] == [
        "경기는 체크메이트로 끝난다.(김하늘 2003, 20쪽).", "끝난 경기는 다시 두지 않는다."]
    assert [s.text for s in morph.sentences("심판이 기물을 준다. (김하늘 2003, 17쪽).")] == [
        "심판이 기물을 준다. (김하늘 2003, 17쪽)."]


def _index_vocabulary(db: Database) -> dict[str, int]:
    """Every term of the sentence index and the number of sentences holding it."""
    if db.is_postgres:
        return dict(db.execute(
            "SELECT word, ndoc FROM ts_stat('SELECT newsmate_tsv(morphs) FROM sentences')"
        ).fetchall())
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.check_vocab"
               " USING fts5vocab(main, sentences_fts, row)")
    return dict(db.execute("SELECT term, doc FROM temp.check_vocab").fetchall())


@both_engines
def test_term_counts_stay_equal_to_the_sentence_index(fresh_db: Database) -> None:
    ingest_items(fresh_db, [
        article(1, "카카오가 코GPT 2.0을 공개했다. 매개변수는 300억개다."),
        article(2, "네이버는 HBM3E 12H와 3,000 mAh 배터리를 말했다. 카카오도 그랬다."),
    ])
    # An edit takes the old sentences' terms away and counts the new ones.
    ingest_items(fresh_db, [article(1, "카카오가 공개 일정을 10월 이후로 미뤘다.")])
    counts = dict(fresh_db.execute("SELECT term, sentences FROM term_counts").fetchall())
    assert counts == _index_vocabulary(fresh_db)
    assert "300" not in counts and counts["카카오"] == 2


@both_engines
def test_a_store_from_before_term_counts_is_counted_when_opened(new_store) -> None:
    target = new_store("old")
    db = open_db(target)
    ingest_items(db, [article(1, "카카오가 새 모델을 공개했다. 카카오는 2.0을 냈다.")])
    db.execute("DROP TABLE term_counts")
    set_schema_version(db, MIGRATIONS.index(_v8_term_counts))
    db.conn.close()
    db = open_db(target)
    counts = dict(db.execute("SELECT term, sentences FROM term_counts").fetchall())
    assert counts == _index_vocabulary(db) and counts["카카오"] == 2


def test_postgres_ranks_articles_as_fts5_does(tmp_path, postgres_server) -> None:
    """The same articles in both engines: the same hits with the same BM25 scores, to the
    last bit, for words, phrases the index splits ('2.0', 'HBM3E-12H') and headlines."""
    items = [
        article(1, "카카오가 코GPT 2.0을 공개했다. 매개변수는 300억개다. 카카오는 2.0 버전을 냈다.",
                title="카카오 코GPT 2.0 공개"),
        article(2, "네이버는 HBM3E-12H와 3,000 mAh 배터리를 말했다. 카카오도 그랬다.", day=5),
        article(3, "삼성전자가 HBM3E 12단 제품을 내놨다. 2.0 시대가 온다는 말이 나왔다.", day=5),
        article(4, "한국 시장에서 카카오와 네이버가 맞붙었다. 네이버의 점유율이 올랐다.",
                title="네이버 점유율 상승"),
    ]
    lite, pg = open_db(tmp_path / "lite.db"), open_db(postgres_server.create_database("rank"))
    for db in (lite, pg):
        ingest_items(db, items)
    for terms in (["카카오"], ["네이버", "카카오"], ["2.0", "카카오"], ["hbm3e-12h"], ["점유율", "상승"],
                  ["없는말"], ["2.0"], ["mah", "3,000", "배터리"]):
        assert search_articles(pg, terms) == search_articles(lite, terms), terms
        by = "2025-03-03T12:00:00+09:00"  # not yet articles 2 and 3 (of the 5th)
        assert search_articles(pg, terms, published_by=by) == search_articles(
            lite, terms, published_by=by), terms
        assert search_sentences(pg, terms) == search_sentences(lite, terms), terms
    assert _index_vocabulary(pg) == _index_vocabulary(lite)


def test_sql_written_for_sqlite_reads_right_on_postgresql() -> None:
    from store.engine import postgres_ddl, postgres_sql

    assert postgres_sql("SELECT a FROM t WHERE b = ? AND c LIKE '%?%'") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE '%%?%%'")
    assert postgres_sql("INSERT OR IGNORE INTO t (a) VALUES (?)") == (
        "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING")
    assert postgres_sql("SELECT full FROM x FULL JOIN y ON true") == (
        'SELECT "full" FROM x FULL JOIN y ON true')
    assert postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY, at REAL) WITHOUT ROWID") == (
        "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
        " at DOUBLE PRECISION)")
    assert postgres_ddl("CREATE TABLE t (term TEXT PRIMARY KEY)") == (
        'CREATE TABLE t (term TEXT COLLATE "C" PRIMARY KEY)')
    for sqlite_only in ("INSERT OR REPLACE INTO t VALUES (1)", "UPDATE OR IGNORE t SET a = 1",
                        "PRAGMA user_version"):
        with pytest.raises(ValueError):
            postgres_sql(sqlite_only)


@both_engines
def test_the_last_message_that_showed_articles(fresh_db: Database) -> None:
    """What '2번 자세히' sent without a reply points at: the bot's newest message in the chat
    that showed articles, an answer or an alert alike; other chats' messages do not count."""
    ingest_items(fresh_db, [article(n, f"누리전자가 {n}번째 제품을 내놓았다.") for n in (1, 2, 3)])
    ids = [r[0] for r in fresh_db.execute("SELECT id FROM articles ORDER BY id")]
    assert last_answer_articles(fresh_db, 7) == []
    remember_answer(fresh_db, 7, 10, [ids[0], ids[1]])
    remember_answer(fresh_db, 8, 50, [ids[2]])
    assert last_answer_articles(fresh_db, 7) == [ids[0], ids[1]]
    with fresh_db.conn:
        fresh_db.execute(
            "INSERT INTO outbox (chat_id, article_id, story_id, term, status, message_id, created_at)"
            " VALUES (7, ?, ?, '누리전자', 'sent', 11, 0)", [ids[2], ids[2]])
    assert last_answer_articles(fresh_db, 7) == [ids[2]]  # the alert came after the answer
