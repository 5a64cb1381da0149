"""Fetching over loopback HTTP (limits, redirects, conditional GET) and Korean decoding."""

from __future__ import annotations

import socket

import httpx
import pytest

from ingest.decode import (
    charset_from_content_type,
    charset_from_markup,
    decode_bytes,
    looks_binary,
    normalise_charset,
)
from ingest.fetch import FetchError, fetch
from tests.ingest_server import PNG, NewsSite, fixture_bytes

# ---- fetching ----------------------------------------------------------------------------


def test_user_agent_names_the_bot(news_site: NewsSite, client: httpx.Client) -> None:
    agent = fetch(client, news_site.url("/echo-ua")).body.decode()
    assert agent.startswith("newsmate/0.1 (+https://example.com/")
    assert "Korean news bot" in agent


def test_redirect_is_followed_and_final_url_kept(news_site: NewsSite, client: httpx.Client) -> None:
    result = fetch(client, news_site.url("/old/2002"))
    assert result.status == 200
    assert result.url == news_site.url("/news/2002")
    assert len(result.body) == len(fixture_bytes("page_euckr_declared.html"))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/news/gone", "HTTP 404"),
        ("/broken/500", "HTTP 500"),
        ("/broken/empty", "empty body"),
        ("/broken/huge", "too large"),
        ("/broken/huge-stream", "too large"),
        ("/broken/slow", "timed out"),
    ],
)
def test_broken_responses_become_one_line_errors(
    news_site: NewsSite, client: httpx.Client, path: str, reason: str
) -> None:
    with pytest.raises(FetchError) as caught:
        fetch(client, news_site.url(path))
    assert reason in caught.value.reason
    assert str(caught.value).startswith(news_site.url(path))
    assert "\n" not in str(caught.value)


def test_connection_refused_is_an_error_not_a_crash(client: httpx.Client) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(client, f"http://127.0.0.1:{port}/rss.xml")
    assert "ConnectError" in caught.value.reason
    assert "\n" not in str(caught.value)


def test_conditional_get_returns_not_modified(news_site: NewsSite, client: httpx.Client) -> None:
    first = fetch(client, news_site.url("/cond/rss.xml"))
    assert first.status == 200 and first.etag == '"v1"'
    assert first.last_modified == "Fri, 07 Mar 2025 00:00:00 GMT"
    again = fetch(client, news_site.url("/cond/rss.xml"), etag=first.etag,
                  last_modified=first.last_modified)
    assert again.not_modified and again.body == b""


# ---- decoding ----------------------------------------------------------------------------


def test_charset_labels() -> None:
    assert normalise_charset("EUC-KR") == "cp949"
    assert normalise_charset("ks_c_5601-1987") == "cp949"
    assert normalise_charset("UTF8") == "utf-8"
    assert normalise_charset("no-such-charset") is None
    assert charset_from_content_type("text/html; charset=EUC-KR") == "cp949"
    assert charset_from_content_type("text/html") is None
    assert charset_from_markup(b'<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">') == "cp949"
    assert charset_from_markup(b'<html><head><meta charset="utf-8">') == "utf-8"
    assert charset_from_markup(b'<?xml version="1.0" encoding="euc-kr"?><rss>') == "cp949"


def test_utf8_page() -> None:
    decoded = decode_bytes(fixture_bytes("page_utf8.html"), "text/html; charset=utf-8")
    assert decoded.encoding == "utf-8" and decoded.how == "declared"
    assert "누리클라우드" in decoded.text


def test_euckr_declared_page_reads_cp949_only_syllables() -> None:
    data = fixture_bytes("page_euckr_declared.html")
    # The page uses '샾', which EUC-KR proper lacks: a strict EUC-KR decoder fails on it.
    with pytest.raises(UnicodeDecodeError):
        data.decode("euc_kr")
    decoded = decode_bytes(data, "text/html")
    assert decoded.encoding == "cp949" and decoded.how == "declared"
    assert "샾(#) 기호" in decoded.text and "\ufffd" not in decoded.text


def test_euckr_page_without_declaration_is_detected() -> None:
    decoded = decode_bytes(fixture_bytes("page_euckr_undeclared.html"), "text/html")
    assert decoded.declared is None and decoded.how == "detected"
    assert "사흘 동안 직접 써봤다" in decoded.text and "\ufffd" not in decoded.text


def test_wrong_declaration_is_overruled_when_detection_is_sure() -> None:
    decoded = decode_bytes(fixture_bytes("page_wrong_declared.html"), "text/html; charset=utf-8")
    assert decoded.declared == "utf-8"
    assert decoded.encoding == "cp949" and decoded.how == "detected"
    assert "기관 투자자의 순매수" in decoded.text and "\ufffd" not in decoded.text


def test_utf8_bytes_declared_euckr_read_as_utf8() -> None:
    text = "<p>누리온 3는 기기 안에서 돌아간다.</p>"
    decoded = decode_bytes(text.encode("utf-8"), "text/html; charset=euc-kr")
    assert decoded.text == text and decoded.encoding == "utf-8"


def test_header_charset_comes_before_markup() -> None:
    data = '<meta charset="utf-8"><p>기기 안에서 돌아간다</p>'.encode("cp949")
    decoded = decode_bytes(data, "text/html; charset=euc-kr")
    assert decoded.declared == "cp949" and decoded.how == "declared"
    assert "기기 안에서" in decoded.text


def test_binary_sniffing() -> None:
    assert looks_binary(PNG)
    assert not looks_binary(fixture_bytes("page_euckr_undeclared.html"))
    assert not looks_binary("누리온 3 안내\n".encode())


def test_a_server_that_keeps_sending_is_cut_off(news_site: NewsSite, client: httpx.Client) -> None:
    with pytest.raises(FetchError, match="still sending"):
        fetch(client, news_site.url("/broken/dribble"), max_seconds=0.3)
