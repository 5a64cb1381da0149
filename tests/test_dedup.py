"""One story, one entry: same URL in disguise is stored once, rewrites link to the first copy."""

from __future__ import annotations

from handlers.search import find_articles
from handlers.services import Services
from ingest.article_input import ArticleInput
from ingest.pipeline import ingest_items
from store.engine import Database

ORIGINAL = (
    "가상의 반도체 기업 누리칩이 차세대 추론용 칩 '누리원'을 공개했다. "
    "이 칩은 기존 제품보다 전력 효율이 두 배 높다고 회사는 설명했다.\n"
    "누리칩은 내년 상반기부터 데이터센터 고객에게 시제품을 공급할 계획이다. "
    "회사는 이번 칩 개발에 3년 동안 약 500억원을 투입했다고 밝혔다.\n"
    "업계에서는 국산 AI 칩 생태계가 넓어질 것으로 기대하고 있다."
)
# The same wire story as another outlet runs it: particles, endings and one word differ.
REWRITE = (
    "가상의 반도체 기업 누리칩이 차세대 추론용 칩 '누리원'을 선보였다. "
    "이 칩은 기존 제품보다 전력 효율이 두 배 높다고 회사 측은 설명했다.\n"
    "누리칩은 내년 상반기부터 데이터센터 고객에게 시제품을 공급할 예정이다. "
    "회사는 이번 칩 개발에 3년간 약 500억원을 투입했다고 밝혔다.\n"
    "업계는 국산 AI 칩 생태계가 넓어질 것으로 기대하고 있다."
)
RELATED = (
    "누리칩의 경쟁사인 가상의 기업 별빛반도체도 추론용 칩 개발에 뛰어들었다. "
    "별빛반도체는 내년 말 첫 제품을 내놓겠다는 목표를 세웠다.\n"
    "두 회사의 경쟁으로 국산 AI 칩 시장이 커질 것이라는 전망이 나온다."
)


def page(url: str, body: str, title: str = "누리칩, 추론용 칩 '누리원' 공개") -> ArticleInput:
    return ArticleInput(title=title, body=body, url=url, publisher="예시", published_at="2025-05-01T09:00:00")


def test_tracking_parameters_and_mobile_host_are_one_article(fresh_db: Database) -> None:
    report = ingest_items(fresh_db, [
        page("https://www.news.example.com/a/1?utm_source=tg&utm_medium=x", ORIGINAL),
        page("https://m.news.example.com/a/1", ORIGINAL),
        page("https://news.example.com/a/1#top", ORIGINAL),
    ])
    assert (report.new, report.unchanged) == (1, 2)


def test_rewrite_by_another_outlet_links_to_first_copy(fresh_db: Database) -> None:
    report = ingest_items(fresh_db, [
        page("https://one.example.com/1", ORIGINAL),
        page("https://two.example.org/9", REWRITE, title="누리칩 '누리원' 공개…전력 효율 두 배"),
        page("https://one.example.com/2", RELATED, title="별빛반도체도 추론 칩 경쟁"),
    ])
    assert (report.new, report.duplicate) == (2, 1)
    rows = dict(fresh_db.execute("SELECT url, dup_of FROM articles").fetchall())
    first = fresh_db.execute("SELECT id FROM articles WHERE url = ?", ["https://one.example.com/1"]).fetchone()[0]
    assert rows["https://two.example.org/9"] == first
    assert rows["https://one.example.com/2"] is None
    # Search shows the story once.
    found = find_articles(Services(db=fresh_db), "누리원 칩")
    assert len(found) == 2 and first in found


def test_band_index_is_backfilled_when_an_old_store_migrates(tmp_path) -> None:
    from store import open_db
    from store.engine import connect
    from store.migrations import MIGRATIONS, _v7_dedup_bands, migrate

    path = tmp_path / "old.db"
    db = open_db(path)
    ingest_items(db, [page("https://one.example.com/1", ORIGINAL)])
    # Back to the schema just before the band index, with an article already stored.
    db.conn.execute("DROP TABLE dedup_bands")
    db.conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(_v7_dedup_bands)}")
    db.conn.close()
    conn = connect(path)
    migrate(conn)
    assert conn.execute("SELECT count(DISTINCT article_id) FROM dedup_bands").fetchone()[0] == 1
    conn.close()
    again = open_db(path)
    report = ingest_items(again, [page("https://two.example.org/9", REWRITE, title="다른 제목")])
    assert report.duplicate == 1
