"""`newsmate feeds import FILE.opml` and `newsmate feeds export [FILE.opml]`."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from bot.cli import main
from ingest.opml import OpmlError, OpmlFeed, read_opml, write_opml
from store import feeds as feed_store
from store import open_db

# Written as feed readers write them: folders, a feed twice, a title with an escaped '&',
# an outline that is a plain link, attribute names in another case.
READER_EXPORT = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>내 구독</title></head>
  <body>
    <outline text="IT">
      <outline type="rss" text="물결IT뉴스" title="물결IT뉴스 &amp; 친구들" xmlUrl="https://mulgyeol.example/rss.xml"/>
      <outline type="rss" text="누리경제" xmlurl="http://nuri.example/feed.atom"/>
    </outline>
    <outline text="경제">
      <outline type="rss" text="누리경제 (again)" xmlUrl="http://nuri.example/feed.atom"/>
      <outline type="link" text="홈페이지" url="https://nuri.example/"/>
    </outline>
    <outline type="rss" text="https://no-title.example/rss" xmlUrl="https://no-title.example/rss"/>
  </body>
</opml>
"""
WANTED = [
    OpmlFeed("https://mulgyeol.example/rss.xml", "물결IT뉴스 & 친구들"),
    OpmlFeed("http://nuri.example/feed.atom", "누리경제"),
    OpmlFeed("https://no-title.example/rss", ""),
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_then_export_keeps_every_feed_and_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "news.db")]
    source = tmp_path / "subscriptions.opml"
    source.write_text(READER_EXPORT, encoding="utf-8")
    code, out, _ = run(capsys, *db, "feeds", "import", str(source))
    assert code == 0 and out.strip() == "가져왔어요: 새 피드 3개, 이미 있던 피드 0개"
    code, out, _ = run(capsys, *db, "feeds", "import", str(source))
    assert out.strip() == "가져왔어요: 새 피드 0개, 이미 있던 피드 3개"

    target = tmp_path / "out.opml"
    code, out, _ = run(capsys, *db, "feeds", "export", str(target))
    assert code == 0 and out.strip() == f"피드 3개를 {target}에 저장했어요."
    exported = target.read_bytes()
    assert read_opml(exported) == WANTED
    root = etree.fromstring(exported)
    assert root.get("version") == "2.0"
    assert root.findtext("head/title") == "newsmate feeds" and root.findtext("head/dateCreated")
    assert all(o.get("text") and o.get("type") == "rss" for o in root.iter("outline"))

    code, out, _ = run(capsys, *db, "feeds", "export")  # to stdout
    assert code == 0 and read_opml(out.encode()) == WANTED


def test_a_title_from_the_file_survives_the_feeds_own(tmp_path: Path) -> None:
    db = open_db(tmp_path / "s.db")
    feed_store.import_feeds(db, [("https://mulgyeol.example/rss.xml", "내가 붙인 이름")])
    feed_store.add_feed(db, "https://other.example/rss")
    feed_store.import_feeds(db, [("https://other.example/rss", "다른 이름")])  # had none: takes it
    for feed in feed_store.list_feeds(db):
        feed_store.record_ok(db, feed.id, etag=None, last_modified=None, title="피드 제목")
    assert [f.title for f in feed_store.list_feeds(db)] == ["내가 붙인 이름", "다른 이름"]


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('<opml version="2.0"><body>\n<outline xmlUrl="https://a.example/rss">\n</body></opml>',
         3, "not well-formed XML"),
        ('<opml version="2.0"><body>\n<outline xmlUrl="https://a.example/rss"/>\n'
         '<outline xmlUrl="ftp://b.example/rss"/>\n</body></opml>', 3, "is not an http(s) address"),
        ("<rss version=\"2.0\"><channel/></rss>", 1, "not an OPML file"),
        ('<opml version="2.0"><head/></opml>', 1, "no <body>"),
        ('<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
         '<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/"/></body></opml>',
         3, "external entity"),
    ],
)
def test_a_broken_file_is_reported_with_its_line_and_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, line: int, reason: str
) -> None:
    db = ["--db", str(tmp_path / "news.db")]
    broken = tmp_path / "broken.opml"
    broken.write_text(text, encoding="utf-8")
    code, _, err = run(capsys, *db, "feeds", "import", str(broken))
    assert code == 1
    assert err.startswith(f"실패: {broken}:{line}: ") and reason in err, err
    assert "아무것도 가져오지 않았어요" in err and "\n" not in err.strip()
    assert feed_store.list_feeds(open_db(tmp_path / "news.db")) == []


def test_entities_in_an_opml_file_are_never_resolved_from_outside() -> None:
    text = (b'<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            b'<opml version="2.0"><body><outline xmlUrl="https://a.example/">&x;</outline>'
            b"</body></opml>")
    assert read_opml(text) == [OpmlFeed("https://a.example/", "")]
    with pytest.raises(OpmlError, match="empty file"):
        read_opml(b"  \n")


def test_a_missing_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "n.db"), "feeds", "import",
                       str(tmp_path / "nowhere.opml"))
    assert code == 1 and err.strip() == f"실패: {tmp_path / 'nowhere.opml'}: No such file or directory"


def test_written_opml_escapes_what_it_must() -> None:
    data = write_opml([OpmlFeed("https://a.example/rss?x=1&y=2", '따옴표 "와" <꺾쇠>')])
    assert read_opml(data) == [OpmlFeed("https://a.example/rss?x=1&y=2", '따옴표 "와" <꺾쇠>')]
