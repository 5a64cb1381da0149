"""Stories at ingest: articles about one event are grouped across outlets and hours, over
real Kiwi, on a SQLite file and on PostgreSQL (tests/story_data.py has the made-up
articles)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from analysis.stories import story_kind, title_figures
from ingest.pipeline import ingest_items
from store import open_db
from store.engine import Database, set_schema_version
from store.migrations import MIGRATIONS, _v12_stories
from store.stories import (
    FLASH,
    JOIN,
    OPINION,
    PHOTO,
    REPORT,
    WINDOW,
    Weighted,
    get_story,
    probability,
    refresh,
    shared_profile,
    similarities,
    story_probabilities,
)
from tests.story_data import ARTICLES, BASE, FERRY, WIRE_AND_REWRITES, article, articles

pytestmark = pytest.mark.both_engines  # the tests with a store run on both engines


def story_of(db: Database, key: str) -> int:
    return db.execute("SELECT story_id FROM articles WHERE source_id = ?",
                      [f"story-{key}"]).fetchone()[0]


def article_id(db: Database, key: str) -> int:
    return db.execute("SELECT id FROM articles WHERE source_id = ?", [f"story-{key}"]).fetchone()[0]


def test_a_wire_story_and_three_rewrites_are_one_story(fresh_db: Database) -> None:
    report = ingest_items(fresh_db, articles(WIRE_AND_REWRITES + ["heat-shelter"]))
    assert report.new == 5 and report.duplicate == 0  # rewrites, not near-copies
    stories = {key: story_of(fresh_db, key) for key in WIRE_AND_REWRITES}
    assert len(set(stories.values())) == 1
    assert story_of(fresh_db, "heat-shelter") not in stories.values()  # same city, other event
    story = get_story(fresh_db, stories["cup-wire"])
    assert story is not None
    assert (story.articles, story.outlets, story.related) == (4, 4, 3)
    assert story.lead_article_id == article_id(fresh_db, "cup-wire")  # the earliest report
    assert story.first_at == "2025-06-10T09:02:00+09:00"
    assert story.last_at == "2025-06-10T11:30:00+09:00"


def test_a_flash_and_its_wrap_up_are_one_story_led_by_the_full_report(fresh_db: Database) -> None:
    ingest_items(fresh_db, articles(FERRY))
    assert len({story_of(fresh_db, key) for key in FERRY}) == 1
    story = get_story(fresh_db, story_of(fresh_db, "ferry-flash"))
    assert story is not None and story.articles == 5 and story.outlets == 3
    # Not the 속보 line (earlier) nor the photo caption: the first full report.
    assert story.lead_article_id == article_id(fresh_db, "ferry-wrap")
    kinds = dict(fresh_db.execute(
        "SELECT a.source_id, p.kind FROM story_profiles p JOIN articles a ON a.id = p.article_id"
    ).fetchall())
    assert kinds["story-ferry-flash"] == FLASH and kinds["story-ferry-photo"] == PHOTO
    assert kinds["story-ferry-wrap"] == REPORT


def test_the_same_topic_next_day_with_new_facts_is_a_new_story(fresh_db: Database) -> None:
    ingest_items(fresh_db, articles(WIRE_AND_REWRITES + ["cup-nextday"]))
    assert story_of(fresh_db, "cup-nextday") != story_of(fresh_db, "cup-wire")


def test_an_opinion_column_is_its_own_story(fresh_db: Database) -> None:
    ingest_items(fresh_db, articles(WIRE_AND_REWRITES + ["cup-column", "cup-dasom"]))
    column = story_of(fresh_db, "cup-column")
    assert column != story_of(fresh_db, "cup-wire")
    story = get_story(fresh_db, column)
    assert story is not None and story.kind == OPINION and story.articles == 1
    # ...and a report arriving after it never joins the column.
    assert story_of(fresh_db, "cup-dasom") == story_of(fresh_db, "cup-wire")


def test_kinds_of_piece_are_read_from_the_korean_text() -> None:
    assert story_kind("[사설] 보증금제, 서두르지 말라", ["본문이다."] * 4) == OPINION
    assert story_kind("세금 이야기 [홍길동의 경제 읽기]", ["본문이다."] * 4) == OPINION
    assert story_kind("시장의 봄", ["첫 문장이다.", "마지막 문장이다.", "김하늘 논설위원"]) == OPINION
    assert story_kind("[포토] 항구의 아침", ["배가 들어오고 있다."]) == PHOTO
    assert story_kind("손 흔드는 시장", ["시장이 손을 흔들고 있다. 2025.6.12"]) == PHOTO
    assert story_kind("[속보] 여객선 좌초", ["여객선이 좌초됐다."]) == FLASH
    assert story_kind("[현장연결] 해경 \"구조 작업 브리핑\"", ["해경이 브리핑합니다."]) == FLASH
    assert story_kind("[단독] 시의회 조례 통과", ["조례가 통과됐다."] * 4) == REPORT


def test_a_headline_states_its_amounts_as_the_store_compares_them() -> None:
    # What an update alert checks a later headline against: amounts as figure keys, the
    # same key for the same amount however often a headline is read.
    assert title_figures("바람섬 좌초 여객선 승객 3명 병원 이송") == {"3명"}
    assert title_figures("한들시 컵 보증금 300원, 내년 1월부터") == {"300KRW"}
    assert title_figures("바람섬 여객선 승객 3명 병원 이송") == {"3명"}
    assert title_figures("시의회, 조례 통과") == frozenset()


def test_an_article_outside_the_window_is_never_a_candidate(fresh_db: Database) -> None:
    from datetime import timedelta

    from tests.story_data import BASE

    later = BASE + timedelta(seconds=WINDOW + 3600)
    ingest_items(fresh_db, [article("cup-wire"), article("cup-garam", base=later)])
    assert story_of(fresh_db, "cup-wire") != story_of(fresh_db, "cup-garam")


def test_a_store_from_before_stories_gets_them_when_opened(
        new_store: Callable[[str], str]) -> None:
    path = new_store("old")
    db = open_db(path)
    keys = [k for k, *_ in ARTICLES]
    ingest_items(db, articles(keys))
    before = dict(db.execute("SELECT source_id, story_id FROM articles").fetchall())
    # Back to the schema before stories, with the articles stored.
    for table in ("story_keys", "story_key_counts", "story_profiles"):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE articles SET story_id = NULL")
    db.execute("DELETE FROM stories")
    set_schema_version(db, MIGRATIONS.index(_v12_stories))
    db.conn.close()

    again = open_db(path)
    assert again.execute("SELECT count(*) FROM articles WHERE story_id IS NULL").fetchone()[0] == 0
    assert again.execute("SELECT sum(articles) FROM stories").fetchone()[0] == len(keys)
    # Every story counts what it holds, and every article's story exists.
    assert again.execute(
        "SELECT count(*) FROM stories s WHERE s.articles !="
        " (SELECT count(*) FROM articles a WHERE a.story_id = s.id)").fetchone()[0] == 0
    assert again.execute(
        "SELECT count(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id"
        " WHERE s.id IS NULL").fetchone()[0] == 0
    after = dict(again.execute("SELECT source_id, story_id FROM articles").fetchall())
    # Built from the stored words, names and figures, the wire story and its rewrites are
    # still one story, and the next day's follow-up another.
    assert len({after[f"story-{k}"] for k in WIRE_AND_REWRITES}) == 1
    assert after["story-cup-nextday"] != after["story-cup-wire"]
    assert len(set(after.values())) <= len(set(before.values())) + 2
    if not again.is_postgres:
        assert again.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again.conn.close()


def test_a_rewritten_article_keeps_its_story_and_its_counts(fresh_db: Database) -> None:
    ingest_items(fresh_db, articles(WIRE_AND_REWRITES))
    story = story_of(fresh_db, "cup-nuri")
    changed = article("cup-nuri")
    changed.body += "\n시는 이번 주 안에 세부 지침을 내놓는다."
    report = ingest_items(fresh_db, [changed])
    assert report.updated == 1
    assert story_of(fresh_db, "cup-nuri") == story
    found = get_story(fresh_db, story)
    assert found is not None and found.articles == 4
    keys = fresh_db.execute("SELECT count(*) FROM story_keys WHERE article_id = ?",
                            [article_id(fresh_db, "cup-nuri")]).fetchone()[0]
    assert keys > 0


def test_the_next_days_articles_never_hide_a_late_articles_story(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key's lookup reads at most ROWS_PER_KEY window rows, newest first; rows of another
    news day must not take those places, or an article that arrives late (published the
    morning its story ran, read after the next day's articles) misses its story."""
    from dataclasses import replace
    from datetime import timedelta

    from store import stories

    monkeypatch.setattr(stories, "ROWS_PER_KEY", 2)
    wire = article("cup-wire")
    next_day = [
        replace(wire, url=f"https://stories.example.com/again-{n}", source_id=f"again-{n}",
                published_at=(BASE + timedelta(days=1, minutes=2 + n)).isoformat())
        for n in range(stories.ROWS_PER_KEY)
    ]
    ingest_items(fresh_db, [wire, *next_day, article("cup-garam")])
    assert story_of(fresh_db, "cup-garam") == story_of(fresh_db, "cup-wire")


@pytest.mark.parametrize("order", ["as listed", "reversed"])
def test_a_story_joined_article_by_article_counts_what_a_recount_finds(
    fresh_db: Database, order: str
) -> None:
    # Joining a story updates its row from the row and the new article alone (first and
    # last time, articles, outlets, lead); a recount from all its articles must agree,
    # also when later articles come first (times move earlier, the lead changes).
    keys = [a[0] for a in ARTICLES]
    ingest_items(fresh_db, articles(keys if order == "as listed" else keys[::-1]))
    columns = "id, first_at, last_at, articles, outlets, lead_article_id"
    counted = fresh_db.execute(f"SELECT {columns} FROM stories ORDER BY id").fetchall()
    assert any(row[3] >= 4 for row in counted)  # some stories were joined
    with fresh_db.transaction():
        for row in counted:
            refresh(fresh_db, row[0])
    assert fresh_db.execute(f"SELECT {columns} FROM stories ORDER BY id").fetchall() == counted


def _profile(article_id: int, story_id: int, minutes: int, title: list[str], lead: list[str],
             body: list[str], names: list[str]) -> Weighted:
    """A weighed profile written by hand: every title, lead word and name of weight 3."""
    def weighed(words: list[str]) -> dict[str, float]:
        return {w: 3.0 for w in words}

    return Weighted(article_id, story_id, 1_750_000_000 + minutes * 60, True, REPORT,
                    weighed(title), weighed(list(dict.fromkeys(title + lead))),
                    {w: len(body) ** -0.5 for w in body}, weighed(names), {})


def test_an_article_holding_what_a_storys_articles_share_joins_it() -> None:
    # Two outlets word one ruling their own way; a third piece takes its own angle, matching
    # neither closely, but it holds the words the two have in common.
    ruling = ["판결", "배상", "강제징용", "한일관계"]
    wire = _profile(1, 7, 0, ["외교부", "판결", "영향"], ruling + ["입장", "발표"],
                    ruling + ["대법원", "입장", "발표", "기업"], ["외교부"])
    tv = _profile(2, 7, 10, ["정부", "대응", "부심"], ruling + ["대책", "회의"],
                  ruling + ["총리", "회의", "대책", "일본"], ["외교부"])
    # Two personnel notices of the same ministry that day share only the ministry with it.
    notice = _profile(3, 9, 5, ["외교부", "인사", "대사"], ["공관장", "발령"],
                      ["공관장", "발령", "대사", "인사"], ["외교부"])
    notice_again = _profile(4, 9, 8, ["외교부", "인사"], ["공관장", "대사", "발령"],
                            ["공관장", "대사", "발령", "국장"], ["외교부"])
    angle = _profile(5, 0, 30, ["강제징용", "미래", "발전"], ruling + ["과거사", "분리"],
                     ruling + ["과거사", "분리", "미래", "협력"], ["외교부"])
    alone = [probability(similarities(angle, c)) for c in (wire, tv)]
    assert max(alone) < JOIN  # no one article of the story is close enough
    ranked = dict(story_probabilities(angle, [wire, tv, notice, notice_again]))
    assert ranked[7] >= JOIN
    assert ranked.get(9, 0.0) < JOIN
    shared = shared_profile([wire, tv], wire)
    assert set(shared.lead) == set(ruling) and shared.names == {"외교부": 3.0}
