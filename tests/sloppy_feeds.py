"""Sloppy and hostile feeds of our own making, as the bytes a server would send.

Each case imitates one way real feeds break XML (an HTML entity XML does not define, UTF-16
with or without a byte-order mark, a file cut off, a NUL inside one description, a long
licence comment before <rss>, an entity the feed declares itself, ...) or attacks a reader
(billion laughs, an external entity, quadratic blow-up). The companies are invented and
every sentence was written for these tests. Used by tests/test_feeds_lenient.py and by
bench/hostile.py.
"""

from __future__ import annotations

from dataclasses import dataclass

# Two articles that each carry their whole text, so no page needs fetching.
ARTICLES = (
    (
        "물결소프트, 사내 문서 검색 AI 공개",
        [
            "물결소프트가 회사 안의 문서를 한국어로 묻고 찾는 검색 AI를 공개했다.",
            "회사는 보고서와 회의록 12만 건으로 시험한 결과 찾는 시간이 절반으로 줄었다고 밝혔다.",
            "첫 고객은 중견 제조사 세 곳이며 다음 달부터 월 구독 방식으로 판매한다.",
            "물결소프트는 올해 안에 일본어 지원도 추가할 계획이다.",
            "검색 결과에는 근거가 된 문서의 쪽수가 함께 표시된다.",
            "보안을 위해 모든 문서는 고객사 서버 안에서만 처리된다고 회사는 강조했다.",
        ],
    ),
    (
        "초록전지, 충전 20분 배터리 시험 생산",
        [
            "초록전지가 20분이면 80%까지 충전되는 전기차 배터리의 시험 생산에 들어갔다.",
            "회사는 충북 공장에 시험 라인 하나를 새로 깔고 하루 300개를 만들 수 있다고 설명했다.",
            "완성차 업체 두 곳이 시제품을 받아 겨울철 성능을 검증하고 있다.",
            "초록전지는 내년 하반기 양산 여부를 결정한다.",
            "새 배터리는 기존 제품보다 무게가 8% 가볍다.",
            "회사는 양산에 들어가면 충북 공장 인력을 200명 늘릴 계획이라고 밝혔다.",
        ],
    ),
)
THIRD = (
    "하람택배, 무인 보관함 1000곳으로 늘린다",
    [
        "하람택배가 아파트 단지에 두는 무인 보관함을 연말까지 1000곳으로 늘린다.",
        "보관함은 문자로 받은 번호를 누르면 열리고 냉장 칸도 갖췄다.",
    ],
)
PUBLISHED = ("Mon, 03 Mar 2025 01:00:00 GMT", "Tue, 04 Mar 2025 02:30:00 GMT",
             "Wed, 05 Mar 2025 03:00:00 GMT")


@dataclass(frozen=True)
class FeedCase:
    name: str
    body: bytes
    content_type: str
    entries: int  # the articles a careful reader stores from it
    hostile: bool = False  # an attack on the reader, not only sloppiness


def _item(number: int, title: str, paragraphs: list[str], *, title_xml: str | None = None,
          text_xml: str | None = None) -> str:
    text = text_xml if text_xml is not None else "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<item><title>{title_xml if title_xml is not None else title}</title>"
        f"<link>https://mulgyeol.example/news/{number}</link>"
        f"<pubDate>{PUBLISHED[number % 3]}</pubDate>"
        f"<content:encoded><![CDATA[{text}]]></content:encoded></item>\n"
    )


def rss(items: str, *, prolog: str = '<?xml version="1.0" encoding="utf-8"?>\n',
        channel_title: str = "물결IT뉴스") -> str:
    return (
        f"{prolog}<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
        f"<channel><title>{channel_title}</title><link>https://mulgyeol.example/</link>\n"
        f"{items}</channel></rss>\n"
    )


def _two(**overrides: str) -> str:
    return "".join(
        _item(n, title, paragraphs, **(overrides if n == 0 else {}))
        for n, (title, paragraphs) in enumerate(ARTICLES)
    )


def _plain_items(text_of: dict[int, str]) -> str:
    """Items whose description is escaped text written out (not CDATA), as many feeds do."""
    out = []
    for n, (title, paragraphs) in enumerate(ARTICLES):
        text = text_of.get(n, _long_summary(paragraphs))
        out.append(
            f"<item><title>{title}</title><link>https://mulgyeol.example/news/{n}</link>"
            f"<pubDate>{PUBLISHED[n]}</pubDate><description>{text}</description></item>\n"
        )
    return "".join(out)


def _long_summary(paragraphs: list[str]) -> str:
    # Over 500 characters, so the description counts as the whole article.
    return " ".join(paragraphs * 3)


def _case(name: str, text: str, content_type: str, entries: int, encoding: str = "utf-8",
          hostile: bool = False) -> FeedCase:
    """A case whose entries link under its own name, so that no two cases share articles."""
    own = text.replace("https://mulgyeol.example/news/", f"https://mulgyeol.example/{name}/")
    return FeedCase(name, own.encode(encoding), content_type, entries, hostile)


def sloppy_cases() -> list[FeedCase]:
    """Feeds that break XML the way real ones do; a lenient reader stores every article."""
    utf8 = "application/rss+xml; charset=utf-8"
    entity_titles = ("물결소프트&middot;초록전지, 나란히 신제품&hellip;", "초록전지&nbsp;배터리 &lsquo;20분&rsquo;")
    entities = rss("".join(
        f"<item><title>{entity_titles[n]}</title><link>https://mulgyeol.example/news/{n}</link>"
        f"<description>{_long_summary(p).replace(' ', '&nbsp;', 3)}&nbsp;&copy; 물결IT뉴스"
        f"</description></item>\n"
        for n, (_, p) in enumerate(ARTICLES)
    ))
    utf16 = rss(_two(), prolog='<?xml version="1.0" encoding="UTF-16"?>\n')
    whole = rss(_two() + _item(2, *THIRD))
    cut = whole[: whole.index("<item><title>" + THIRD[0]) + len("<item><title>") + 4]
    nul = _two(text_xml="<p>" + ARTICLES[0][1][0] + "\x00</p>" + "".join(
        f"<p>{p}</p>" for p in ARTICLES[0][1][1:]))
    controls = _plain_items({0: _long_summary(ARTICLES[0][1]).replace("다.", "다.\x0b\x1b", 2)})
    licence = "<!--\n" + "\n".join(
        f"  이 피드의 내용은 물결IT뉴스의 저작물입니다. 조항 {n}: 출처를 밝히고 비영리로만 쓸 수 있습니다."
        for n in range(1, 60)
    ) + "\n-->\n"
    stylesheet = '<?xml-stylesheet type="text/xsl" href="/rss.xsl"?>\n'
    dtd = ('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE rss [\n'
           '  <!ENTITY site "물결IT뉴스 &amp; 친구들">\n  <!ENTITY copy "&#169;">\n]>\n')
    ampersands = rss(_plain_items({
        0: _long_summary(ARTICLES[0][1]) + " 문의는 R&D 센터로. https://mulgyeol.example/?a=1&b=2",
    })).replace("<title>물결", "<title>AT&T·물결", 1)
    unclosed = _plain_items({0: "<b>" + _long_summary(ARTICLES[0][1])})  # <b> never closed
    return [
        _case("html-entities", entities, utf8, 2),
        _case("utf16-bom", utf16, "application/rss+xml", 2, "utf-16"),
        _case("utf16-declared-no-bom", utf16, "text/xml", 2, "utf-16-be"),
        _case("utf16-header-only", rss(_two(), prolog='<?xml version="1.0"?>\n'),
              "application/rss+xml; charset=utf-16", 2, "utf-16-le"),
        _case("utf32-bom", rss(_two(), prolog=""), "application/rss+xml", 2, "utf-32"),
        _case("truncated", cut, utf8, 2),
        _case("nul-byte", rss(nul), utf8, 2),
        _case("control-chars", rss(controls), utf8, 2),
        _case("long-prolog", rss(_two(), prolog='<?xml version="1.0" encoding="utf-8"?>\n'
                                 + licence + stylesheet), utf8, 2),
        _case("dtd-entity", rss(_two(title_xml="&site; 단독: " + ARTICLES[0][0]), prolog=dtd,
                                channel_title="&site; &copy;"), utf8, 2),
        _case("bare-ampersands", ampersands, utf8, 2),
        _case("junk-before-declaration",
              "Warning: Undefined index 'page' in /var/www/rss.php on line 12\n" + rss(_two()),
              utf8, 2),
        _case("unclosed-tag", rss(unclosed), utf8, 2),
        _case("cp949-declared-euc-kr", rss(_two(), prolog='<?xml version="1.0" encoding="euc-kr"?>\n'),
              "application/rss+xml", 2, "cp949"),
    ]


def hostile_feed_cases() -> list[FeedCase]:
    """Feeds that attack the XML reader itself; entries are read, the attack flattened."""
    lol = '<!ENTITY lol0 "물결물결물결물결물결물결물결물결">\n' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">\n' for n in range(1, 10)
    )
    laughs = rss(_two(title_xml="&lol9;" + ARTICLES[0][0]),
                 prolog=f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n{lol}]>\n')
    xxe = rss(_two(title_xml=ARTICLES[0][0] + "&secret;"), prolog=(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        '<!ENTITY secret SYSTEM "file:///etc/passwd">\n'
        '<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">\n%remote;\n]>\n'))
    big = "물결" * 50_000  # 100,000 characters, referenced 40,000 times: 4 billion
    quadratic = rss(_two(text_xml="<p>" + ARTICLES[0][1][0] + "</p>" + "&big;" * 40_000 + "".join(
        f"<p>{p}</p>" for p in ARTICLES[0][1][1:])), prolog=(
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY big "{big}">\n]>\n'))
    # Entities outside CDATA, so that they are expanded where a parser would.
    quadratic = quadratic.replace("<![CDATA[", "").replace("]]>", "")
    utf8 = "application/rss+xml; charset=utf-8"
    return [
        _case("billion-laughs", laughs, utf8, 2, hostile=True),
        _case("external-entity", xxe, utf8, 2, hostile=True),
        _case("quadratic-blowup", quadratic, utf8, 2, hostile=True),
    ]
