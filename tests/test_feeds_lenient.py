"""Feeds that break XML the way real ones do are read; attacks on the reader stay small.

The feeds (tests/sloppy_feeds.py) are served on 127.0.0.1 and read through the same
SourceReader `newsmate ingest` uses.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import httpx
import pytest
from pytest_httpserver import HTTPServer

from ingest.article_input import ArticleInput
from ingest.decode import decode_bytes, looks_binary, wide_encoding
from ingest.feed_repair import EXPANSION_BUDGET
from ingest.feeds import FeedError, parse_feed
from ingest.markup import html_to_text, plain_line
from ingest.sources import SourceReader
from tests.sloppy_feeds import ARTICLES, FeedCase, hostile_feed_cases, rss, sloppy_cases

CASES = {case.name: case for case in sloppy_cases() + hostile_feed_cases()}
ENTITY = re.compile(r"&#?\w+;")


@pytest.fixture(scope="module")
def feed_site() -> Iterator[HTTPServer]:
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    for case in CASES.values():
        server.expect_request(f"/{case.name}.xml").respond_with_data(
            case.body, content_type=case.content_type
        )
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def _read(server: HTTPServer, client: httpx.Client, case: FeedCase) -> tuple[list[ArticleInput], list[str]]:
    items = list(SourceReader(client).read(server.url_for(f"/{case.name}.xml")))
    return [i for i in items if isinstance(i, ArticleInput)], [str(i) for i in items if isinstance(i, Exception)]


@pytest.mark.parametrize("name", list(CASES))
def test_every_sloppy_or_hostile_feed_gives_its_articles(
    feed_site: HTTPServer, client: httpx.Client, name: str
) -> None:
    case = CASES[name]
    articles, errors = _read(feed_site, client, case)
    feed_url = feed_site.url_for(f"/{name}.xml")
    assert not [e for e in errors if e.startswith(f"{feed_url}: ") and "entry" not in e], errors
    assert len(articles) == case.entries
    for article in articles:
        assert "<" not in article.title and not ENTITY.search(article.title)
        assert "\x00" not in article.body and "\ufffd" not in article.body
        assert len(article.body) < 5000  # nothing expanded
    bodies = " ".join(a.body for a in articles)
    assert "배터리" in bodies  # the second article's own words, whatever broke the first


def test_undefined_html_entities_are_read_as_the_characters_they_name(
    feed_site: HTTPServer, client: httpx.Client
) -> None:
    articles, _ = _read(feed_site, client, CASES["html-entities"])
    assert [a.title for a in articles] == [
        "물결소프트·초록전지, 나란히 신제품…", "초록전지 배터리 ‘20분’"
    ]
    assert "© 물결IT뉴스" in articles[0].body


def test_a_truncated_feed_keeps_its_complete_entries(feed_site: HTTPServer, client: httpx.Client) -> None:
    articles, errors = _read(feed_site, client, CASES["truncated"])
    assert [a.title for a in articles] == [title for title, _ in ARTICLES]
    # The third entry was cut off before its link: reported as an entry, not as the feed.
    assert len(errors) <= 1 and all("has no link" in e for e in errors)


def test_entities_the_feed_declares_are_used_when_they_are_plain_text(
    feed_site: HTTPServer, client: httpx.Client
) -> None:
    articles, _ = _read(feed_site, client, CASES["dtd-entity"])
    assert articles[0].title.startswith("물결IT뉴스 & 친구들 단독: ")
    assert articles[0].publisher == "물결IT뉴스 & 친구들 ©"


def test_attacks_on_the_parser_are_flattened() -> None:
    laughs = parse_feed(CASES["billion-laughs"].body)
    assert laughs.entries[0].title == ARTICLES[0][0]  # &lol9; dropped, not a billion 물결
    xxe = parse_feed(CASES["external-entity"].body)
    assert xxe.entries[0].title == ARTICLES[0][0]
    assert "root:" not in " ".join(e.text for e in xxe.entries)
    quadratic = parse_feed(CASES["quadratic-blowup"].body)
    text = quadratic.entries[0].text
    assert text.startswith(ARTICLES[0][1][0]) and len(text) < 2 * EXPANSION_BUDGET


def test_a_small_declared_entity_used_a_few_times_is_expanded() -> None:
    doc = rss(
        "<item><title>&co; 발표</title><link>https://mulgyeol.example/news/9</link></item>",
        prolog='<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY co "물결소프트">]>\n',
    )
    assert parse_feed(doc.encode()).entries[0].title == "물결소프트 발표"


def test_titles_summaries_and_authors_are_plain_text() -> None:
    items = (
        "<item><title>safe&lt;iframe src=\"http://127.0.0.1:9/\"&gt;&lt;/iframe&gt; description</title>"
        "<link>https://mulgyeol.example/news/1</link>"
        "<author>&lt;b&gt;김물결&lt;/b&gt; 기자</author>"
        "<description>&lt;script&gt;alert(1)&lt;/script&gt;&lt;p&gt;요약 &amp;amp; 정리&lt;/p&gt;"
        "</description></item>"
        "<item><title><![CDATA[<img src=x onabort=\"alert(1)\">사진 <b>제목</b>]]></title>"
        "<link>https://mulgyeol.example/news/2</link></item>"
    )
    feed = parse_feed(rss(items).encode())
    first, second = feed.entries
    assert first.title == "safe description"
    assert first.author == "김물결 기자"
    assert first.text == "요약 & 정리"  # the script's text is gone with it
    assert second.title == "사진 제목"
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">물결 &amp;amp; 친구들</title>'
        '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">'
        "<p>문서 <em>전체</em></p></div></title>"
        '<link href="https://mulgyeol.example/news/3"/></entry></feed>'
    )
    parsed = parse_feed(atom.encode())
    assert parsed.title == "물결 & 친구들" and parsed.entries[0].title == "문서 전체"


def test_markup_to_text_survives_deep_nesting_and_broken_markup() -> None:
    deep = "<span>" * 5000 + "<p>깊은 문단 하나</p><p>깊은 문단 둘</p>"
    assert html_to_text(deep).split() == ["깊은", "문단", "하나", "깊은", "문단", "둘"]
    assert plain_line("3 < 5 그리고 7 > 2", False) == "3 < 5 그리고 7 > 2"
    assert html_to_text("<p>열린 <!-- 끝나지 않는 주석").split() == ["열린"]
    assert html_to_text("요약 &amp; 정리") == "요약 & 정리"


# ---- decoding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "found"),
    [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32-le", "utf-32-le"),
     ("utf-32-be", "utf-32-be")],
)
def test_wide_encodings_are_known_by_their_nul_bytes(codec: str, found: str) -> None:
    data = '<?xml version="1.0"?><rss><channel><title>물결</title></channel></rss>'.encode(codec)
    assert wide_encoding(data) == (found, 0)
    assert decode_bytes(data, "text/xml").text.startswith('<?xml version="1.0"?><rss>')
    assert not looks_binary(data)


def test_wide_encodings_by_byte_order_mark() -> None:
    data = codecs.BOM_UTF32_LE + "<rss/>".encode("utf-32-le")
    assert wide_encoding(data) == ("utf-32-le", 4)  # not mistaken for UTF-16's mark
    assert decode_bytes(data).text == "<rss/>"


def test_a_utf16_label_on_utf8_bytes_is_not_believed() -> None:
    data = '<?xml version="1.0" encoding="utf-16"?><rss><title>물결소프트</title></rss>'.encode()
    assert decode_bytes(data, "application/rss+xml; charset=utf-16").text.endswith(
        "<title>물결소프트</title></rss>"
    )


def test_a_stray_nul_is_not_binary() -> None:
    text = ("<rss>" + "물결소프트가 검색 AI를 공개했다. " * 40 + "\x00</rss>").encode()
    assert not looks_binary(text)
    assert looks_binary(b"%PDF-1.7\n" + bytes(range(256)))


def test_a_feed_with_nothing_readable_is_still_refused_in_one_line() -> None:
    with pytest.raises(FeedError, match=r"invalid XML \(.* at line 3\)"):
        parse_feed(b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>x</title>\n<ite')
    with pytest.raises(FeedError, match="HTML where a feed was expected"):
        parse_feed(b"<!-- hi -->\n<!DOCTYPE html>\n<html><body><p>page</p></body></html>")
