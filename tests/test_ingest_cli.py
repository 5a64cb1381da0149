"""`newsmate ingest` / `newsmate feeds` end to end, against a news site on 127.0.0.1."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from store import open_db
from tests.ingest_server import NewsSite

EXPECTED = {
    # publisher: (title, published_at KST, canonical URL or None for "the loopback URL")
    "코드타임즈": (
        "누리클라우드, 한국어 경량 AI '누리온 3' 공개",
        "2025-03-04T09:31:00+09:00",
        "https://codetimes.example/news/1001",
    ),
    "한빛경제": (
        "과기부, 온디바이스 AI 안전 기준 만든다…누리온 3 첫 시험대",
        "2025-03-05T10:00:00+09:00",
        None,
    ),
    "디지털온": (
        "누리온 3 써보니…요약은 빠르고 사투리엔 아직 서툴러",
        "2025-03-06T14:20:00+09:00",
        "https://digitalon.example/article/3003",
    ),
    "테크한마당": (
        "누리클라우드 주가, AI 공개 뒤 이틀 새 18% 올라",
        "2025-03-07T08:15:00+09:00",
        None,
    ),
}
FOOTER_WORDS = ("제보", "무단", "재배포", "구독", "▶", "인기기사", "관련기사", "많이 본", "공유하기", "별빛전자")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def failure_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("실패:")]


def test_ingest_feed_stores_clean_articles(
    news_site: NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path = str(tmp_path / "news.db")
    code, out, err = run(capsys, "--db", db_path, "ingest", news_site.url("/rss.xml"))
    assert code == 0  # one entry's page is a 404: the feed's summary of it is kept
    assert failure_lines(err) == []
    summary = out.strip().splitlines()[-1]
    assert re.fullmatch(
        r"new 5 \(1 summary only\), updated 0, duplicate 0, unchanged 0, failed 0 in \d+\.\ds",
        summary,
    ), summary
    assert "\r" not in out + err and "it/s" not in out + err  # no progress bar off a terminal

    db = open_db(db_path)
    rows = db.execute(
        "SELECT title, publisher, published_at, canonical_url, body FROM articles"
        " WHERE summary_only = 0 ORDER BY id"
    ).fetchall()
    assert [r[1] for r in rows] == list(EXPECTED)
    for title, publisher, published_at, canonical, body in rows:
        want_title, want_time, want_url = EXPECTED[publisher]
        assert (title, published_at) == (want_title, want_time)
        if want_url:
            assert canonical == want_url
        else:
            assert canonical.startswith(news_site.base)
        paragraphs = body.split("\n\n")
        assert len(paragraphs) >= 3
        assert len(paragraphs) == len(set(paragraphs)), "a caption printed twice"
        assert "@" not in body and "기자" not in body
        assert not any(word in body for word in FOOTER_WORDS), body
        assert not paragraphs[0].startswith(("[", "("))
        assert "\ufffd" not in body

    code, out, _ = run(capsys, "--db", db_path, "article", "https://codetimes.example/news/1001")
    assert code == 0
    assert "제목: 누리클라우드, 한국어 경량 AI '누리온 3' 공개" in out
    assert "발행: 코드타임즈 · 2025-03-04T09:31:00+09:00" in out
    assert "초당 40개 이상의 토큰" in out

    # Again: every stored entry is skipped without fetching its page.
    code, out, err = run(capsys, "--db", db_path, "ingest", news_site.url("/rss.xml"))
    assert out.strip().startswith("new 0, updated 0, duplicate 0, unchanged 5, failed 0")


def test_ask_answers_from_ingested_pages(
    news_site: NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.chat import reply_to_line
    from handlers.services import ChatContext, Services

    db_path = str(tmp_path / "news.db")
    run(capsys, "--db", db_path, "ingest", news_site.url("/news/1001"), news_site.url("/news/4004"))
    services = Services(db=open_db(db_path))
    reply = reply_to_line(
        services, "/ask 누리온 3는 초당 몇 개의 토큰을 만들어?", ChatContext(0, 0, "private")
    )
    assert "40개" in reply


def test_feeds_add_list_remove_and_poll(
    news_site: NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "news.db")]
    feed = news_site.url("/cond/rss.xml")
    code, out, _ = run(capsys, *db, "ingest")
    assert code == 2  # no SOURCE and no stored feeds
    code, out, _ = run(capsys, *db, "feeds", "add", feed)
    assert code == 0 and out.strip() == "추가했어요: 코드타임즈 IT (기사 4건)"
    code, out, _ = run(capsys, *db, "feeds", "add", feed)
    assert code == 0 and "이미 있는 피드예요" in out
    code, _, err = run(capsys, *db, "feeds", "add", news_site.url("/news/1001"))
    assert code == 1
    assert failure_lines(err) == [f"실패: {news_site.url('/news/1001')}: HTML where a feed was expected"]
    code, out, _ = run(capsys, *db, "feeds", "list")
    assert code == 0 and out.splitlines()[0].startswith(f"{feed}\t코드타임즈 IT\t")

    code, out, err = run(capsys, *db, "ingest")
    assert code == 0 and out.strip().startswith("new 4, updated 0, duplicate 0, unchanged 0, failed 0")
    code, out, err = run(capsys, *db, "ingest")  # 304 Not Modified: nothing to read
    assert code == 0 and out.strip().startswith("new 0, updated 0, duplicate 0, unchanged 0, failed 0")

    code, out, _ = run(capsys, *db, "feeds", "remove", feed)
    assert code == 0 and out.strip() == f"지웠어요: {feed}"
    code, _, err = run(capsys, *db, "feeds", "remove", feed)
    assert code == 1 and "그런 피드가 없어요" in err


def test_broken_sources_each_one_line_and_exit_status(
    news_site: NewsSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = ["/broken/invalid.xml", "/broken/500", "/broken/empty", "/broken/binary"]
    code, out, err = run(
        capsys, "--db", str(tmp_path / "news.db"), "ingest",
        *[news_site.url(p) for p in broken], news_site.url("/atom.xml"), str(tmp_path / "missing.txt"),
    )
    assert code == 1
    lines = failure_lines(err)
    assert len(lines) == len(broken) + 1
    assert [line.split(": ")[1] for line in lines[:-1]] == [news_site.url(p) for p in broken]
    assert out.strip().startswith("new 2, updated 0, duplicate 0, unchanged 0, failed 5")
