"""Every kind of SOURCE, served on 127.0.0.1 or read from files, and broken ones skipped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx

from ingest.article_input import ArticleInput
from ingest.corpus import read_corpus
from ingest.pipeline import IngestReport, ingest_items
from ingest.sources import SourceReader
from store import open_db
from store.articles import count_articles, find_article
from tests.ingest_server import FIXTURES, PNG, NewsSite


def split(items) -> tuple[list[ArticleInput], list[str]]:
    items = list(items)
    errors = [str(i) for i in items if isinstance(i, Exception)]
    assert all(isinstance(i, Exception | ArticleInput) for i in items)
    return [i for i in items if isinstance(i, ArticleInput)], errors


def test_rss_feed_items_are_fetched_and_a_missing_page_keeps_the_feed_summary(
    news_site: NewsSite, client: httpx.Client
) -> None:
    articles, errors = split(SourceReader(client).read(news_site.url("/rss.xml")))
    assert [a.publisher for a in articles] == [
        "코드타임즈", "한빛경제", "디지털온", "테크한마당", "코드타임즈 IT"
    ]
    first, second, third, fourth, gone = articles
    assert first.url == "https://m.codetimes.example/news/1001?utm_source=feed&utm_medium=rss"
    assert first.published_at == "2025-03-04T09:31:00+09:00"  # the feed's time beats the page's
    assert second.url == news_site.url("/news/2002")  # no canonical link: the URL fetched
    assert second.title == "과기부, 온디바이스 AI 안전 기준 만든다…누리온 3 첫 시험대"  # the page's
    assert second.published_at == "2025-03-05T10:00:00+09:00"  # no feed time: the page's
    assert third.published_at == "2025-03-06T14:20:00+09:00"
    assert fourth.published_at == "2025-03-07T08:15:00+09:00"
    assert "기관 투자자의 순매수" in fourth.body  # CP949 page that declares utf-8
    assert not any(a.summary_only for a in articles[:4])
    # /news/gone is a 404: the feed's own title and summary are kept, marked as such.
    assert errors == []
    assert (gone.title, gone.body, gone.summary_only) == ("사라진 기사", "없는 페이지", True)
    assert gone.url == news_site.url("/news/gone")


def test_atom_feed_follows_redirects_and_uses_full_content(
    news_site: NewsSite, client: httpx.Client
) -> None:
    articles, errors = split(SourceReader(client).read(news_site.url("/atom.xml")))
    assert errors == []
    full, redirected = articles  # entries with their whole text come first
    assert full.title == "누리클라우드, 개발자 행사 일정 발표"
    assert full.body.startswith("누리클라우드가 다음 달 15일 서울에서")
    assert "@" not in full.body and "구독" not in full.body
    assert full.publisher == "한빛경제" and full.published_at == "2025-03-08T09:00:00+09:00"
    assert news_site.requests_to("/news/2010") == 0  # no page fetched for a full entry
    assert redirected.url == news_site.url("/news/2002")
    assert redirected.publisher == "한빛경제"


def test_article_page_url(news_site: NewsSite, client: httpx.Client) -> None:
    articles, errors = split(SourceReader(client).read(news_site.url("/news/3003")))
    assert errors == [] and len(articles) == 1
    assert articles[0].url == "https://www.digitalon.example/article/3003#comments"


BROKEN = {
    "/broken/invalid.xml": "invalid XML",
    "/broken/html-feed.xml": "HTML where a feed was expected",
    "/broken/500": "HTTP 500",
    "/broken/slow": "timed out",
    "/broken/empty": "empty body",
    "/broken/binary": "binary content (image/png)",
    "/broken/binary-as-html": "binary content (text/html)",
    "/broken/huge": "too large",
    "/news/gone": "HTTP 404",
}


def test_each_broken_source_is_one_line_and_the_rest_goes_on(
    news_site: NewsSite, client: httpx.Client
) -> None:
    sources = [news_site.url(path) for path in BROKEN] + [news_site.url("/news/1001")]
    articles, errors = split(SourceReader(client).read_all(sources))
    assert len(errors) == len(BROKEN)
    for (path, reason), error in zip(BROKEN.items(), errors, strict=True):
        assert error.startswith(news_site.url(path)), error
        assert reason in error, error
        assert "\n" not in error
    assert [a.publisher for a in articles] == ["코드타임즈"]


def test_local_files_and_folders(tmp_path: Path, client: httpx.Client) -> None:
    folder = tmp_path / "news"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(FIXTURES / "page_euckr_declared.html", folder / "a.html")
    shutil.copy(FIXTURES / "article.txt", folder / "sub" / "b.txt")
    (folder / "c.jsonl").write_text(
        json.dumps({"id": "x1", "title": "누리온 3 판매 시작", "body": "누리온 3가 오늘 판매를 시작했다."},
                   ensure_ascii=False) + "\n{not json\n",
        encoding="utf-8",
    )
    (folder / "d.txt").write_bytes(PNG)  # binary under a text name
    (folder / "e.htm").write_bytes(b"  \n")
    (folder / "photo.png").write_bytes(PNG)  # not a source suffix: left alone
    (folder / "f.txt").write_bytes("누리클라우드 소식\n\n누리클라우드가 새 요금제를 내놨다.".encode("cp949"))
    articles, errors = split(SourceReader(client).read(str(folder)))
    titles = [a.title for a in articles]
    assert titles == [
        "과기부, 온디바이스 AI 안전 기준 만든다…누리온 3 첫 시험대",
        "누리온 3 판매 시작",
        "누리클라우드 소식",
        "누리클라우드, 누리온 3 사전 체험단 1000명 모집",
    ]
    assert articles[0].url == (folder / "a.html").resolve().as_uri()
    assert articles[2].body == "누리클라우드가 새 요금제를 내놨다."  # CP949 text file
    assert articles[3].publisher == "코드타임즈"
    assert len(errors) == 3
    assert "c.jsonl:2: not JSON" in errors[0]
    assert errors[1].endswith("d.txt: binary file, not text")
    assert errors[2].endswith("e.htm: empty file")
    _, missing = split(SourceReader(client).read(str(tmp_path / "nowhere")))
    assert missing == [f"{tmp_path / 'nowhere'}: no such file, folder or http(s) URL"]


def test_an_article_without_a_title_is_titled_by_its_first_sentence(tmp_path: Path) -> None:
    corpus = tmp_path / "untitled.jsonl"
    lines = [
        {"id": "u1", "title": "", "body": "새빛전자가 접는 태블릿을 다음 달 내놓는다. 가격은 미정이다."},
        {"id": "u2", "body": "누리은행과 한결증권, 들빛카드, 새솔보험, 가온캐피탈이 함께 만든 "
                             "금융 데이터 연합이 올해 안에 공동 신용평가 모형을 내놓겠다고 밝혔다."},
    ]
    corpus.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                      encoding="utf-8")
    db = open_db(tmp_path / "t.db")
    first = ingest_items(db, read_corpus(corpus))
    assert (first.new, first.failed) == (2, 0)
    short, long = find_article(db, "u1"), find_article(db, "u2")
    assert short is not None and short.title == "새빛전자가 접는 태블릿을 다음 달 내놓는다."
    assert long is not None and long.title.endswith("…") and len(long.title) <= 61
    assert long.title.startswith("누리은행과 한결증권")
    again = ingest_items(db, read_corpus(corpus))  # the same title is derived again
    assert (again.new, again.unchanged) == (0, 2)


def test_same_article_by_several_urls_is_stored_once(
    news_site: NewsSite, client: httpx.Client, tmp_path: Path
) -> None:
    db = open_db(tmp_path / "s.db")
    report = IngestReport()
    reader = SourceReader(client, db=db, report=report)
    sources = [
        news_site.url("/news/1001?utm_source=kakao&fbclid=abc"),
        news_site.url("/news/1001"),
        news_site.url("/old/2002"),
        news_site.url("/news/2002#top"),
    ]
    ingest_items(db, reader.read_all(sources), report)
    assert (report.new, report.unchanged, report.failed) == (2, 2, 0)
    assert count_articles(db) == 2
    stored = find_article(db, "https://codetimes.example/news/1001")
    assert stored is not None and stored.publisher == "코드타임즈"


def test_feed_entries_already_stored_are_not_fetched_again(
    news_site: NewsSite, client: httpx.Client, tmp_path: Path
) -> None:
    db = open_db(tmp_path / "s.db")
    first = IngestReport()
    ingest_items(db, SourceReader(client, db=db, report=first).read(news_site.url("/atom.xml")), first)
    assert (first.new, first.failed) == (2, 0)
    fetched = news_site.requests_to("/news/2002")
    again = IngestReport()
    ingest_items(db, SourceReader(client, db=db, report=again).read(news_site.url("/atom.xml")), again)
    assert (again.new, again.unchanged, again.failed) == (0, 2, 0)
    assert news_site.requests_to("/news/2002") == fetched
