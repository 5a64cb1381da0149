"""Rules that strip Korean news boilerplate from article text, line by line.

Extraction (trafilatura, or a plain-text file) leaves one paragraph per line, still with the
furniture of Korean news pages: photo captions (often printed twice), `[매체|이름 기자]` and
`(서울=매체) 이름 기자 =` prefixes, reporter e-mail lines, '입력 2025.03.06' lines, tip-off,
subscription and copyright footers, popular/related article lists and share-button text.
The rules are deliberately narrow: a rule that eats a real sentence is worse than a footer
line that slips through, so sentence-like lines (ending in '다.' and the like) are kept unless
a pattern names them exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.pagedates import LOOSE_DATE, find_date_in_text

_SPACES = re.compile(r"[ \t\u00a0\u3000\u200b]+")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# A sentence ends in a Korean declarative/polite ending or closing punctuation.
_SENTENCE_END = re.compile(r"(?:[다요죠까음함임됨]\s*[.!?]?|[.!?])[\"'”’」』)\]]*$")
_REPORTER = r"(?:기자|특파원|선임기자|객원기자|인턴기자|전문기자|수습기자|통신원|에디터|논설위원)"
_NAME = r"[가-힣]{2,4}"

# Photo captions: '... 모습. /사진=홍길동 기자(매체)', '... 있다. /홍길동 기자',
# '... 전경. /회사명', '... (사진=회사 제공)'. A real sentence practically never ends in ' /word'.
_CAPTION_TAIL = re.compile(r"\s/\s?(?:사진|그래픽|자료|영상)?\s*=?\s*[^/\s][^/]{0,24}$")
_CAPTION_MARK = re.compile(
    r"[(\[<〈/]\s*(?:사진|그래픽|이미지|자료사진|사진자료|영상)\s*(?:=|:|제공|출처)[^)\]>〉]*[)\]>〉]?\s*$"
    r"|^\s*[(\[<〈]?\s*(?:사진|그래픽)\s*(?:=|:)\s*"
)
_SENTENCE_STOP = re.compile(r"[다요]\.(?=\s|$)")
_SIGNATURE_WORDS = re.compile(rf"{_NAME}\s*{_REPORTER}|이메일|e-?mail|메일|[/=:()\[\]<>·,|]", re.I)
_CAPTION_CREDIT = re.compile(rf"{_REPORTER}\s*\(([^()]{{1,15}})\)\s*$")

# Prefixes before the first sentence; group 'pub' is the outlet when the prefix names one.
_PREFIXES = (
    # [더팩트|최문정 기자]  [디지털온=윤지아 기자]  [매체/이름 기자]
    re.compile(rf"^\[\s*(?P<pub>[^\]|=/]{{1,20}}?)\s*[|=/·ㅣ]\s*{_NAME}\s*{_REPORTER}\s*\]\s*"),
    # [테크한마당 최수아 기자]
    re.compile(rf"^\[\s*(?P<pub>[^\]]{{1,20}}?)\s+{_NAME}\s*{_REPORTER}\s*\]\s*"),
    # (서울=연합뉴스) 홍길동 기자 =   [서울=뉴시스]홍길동 기자 =
    re.compile(
        rf"^[(\[]\s*[가-힣]{{1,10}}\s*=\s*(?P<pub>[^)\]]{{1,15}}?)\s*[)\]]\s*"
        rf"(?:{_NAME}(?:\s*[·,]\s*{_NAME})*\s*{_REPORTER}\s*=?\s*)?"
    ),
    # 【서울=매체】
    re.compile(r"^【[^】]{1,30}】\s*"),
    # [매체] 홍길동 기자 =
    re.compile(rf"^\[\s*(?P<pub>[^\]]{{1,15}}?)\s*\]\s*{_NAME}\s*{_REPORTER}\s*=\s*"),
    # 홍길동 기자 =
    re.compile(rf"^{_NAME}\s*{_REPORTER}\s*=\s*"),
)
_BYLINE_LINE = re.compile(
    rf"^(?:글|사진|글·사진|영상|취재|정리)?\s*[=:]?\s*"
    rf"{_NAME}\s*{_REPORTER}(?:\s*[,·/]\s*{_NAME}\s*{_REPORTER}?)*\s*[.]?$"
)
# A reporter signature glued to the end of the last sentence: '밝혔다. 홍길동 기자'.
_BYLINE_TAIL = re.compile(rf"(?<=[다요]\.)\s*/?\s*{_NAME}\s*{_REPORTER}\s*$")

_DATE_LINE = re.compile(
    r"^(?:[•·\-*]\s*)?(?:입력|수정|등록|승인|게재|기사입력|최종수정|업데이트|송고|발행)\s*(?:일시|시간)?\s*[:：]?\s*\d{4}"
)

_COPYRIGHT = re.compile(
    r"무단\s*전재|재배포\s*금지|무단\s*복제|무단\s*배포|저작권자|copyright|all rights reserved"
    r"|AI\s*학습\s*(?:및|이용)",
    re.I,
)
_TIPOFF_CUE = re.compile(r"기다립니다|카카오톡|이메일|전화|@|https?://|제보하기|제보는|제보\s*:|문자|제보\s*\)")
_SUBSCRIBE = re.compile(
    r"구독\s*(?:하기|하고|하세요|해\s*주세요|신청|버튼|클릭)|구독\s*▶|\[\s*구독\s*\]"
    r"|(?:채널|메인|유튜브|네이버|다음|뉴스레터)\S*\s*(?:에서\s*)?\S*\s*구독"
)
_LIST_HEADER = re.compile(
    r"^[\[<【(]?\s*(?:인기\s*기사|관련\s*기사|추천\s*기사|주요\s*기사|주요\s*뉴스|최신\s*뉴스|많이\s*본\s*(?:뉴스|기사)"
    r"|가장\s*많이\s*본\s*(?:뉴스|기사)|이\s*시각\s*(?:인기|주요|많이\s*본)\s*(?:뉴스|기사)?|핫\s*이슈|실시간\s*인기"
    r"|오늘의\s*(?:핫|인기|주요)\s*(?:뉴스|기사)|함께\s*(?:보면\s*좋은|볼만한|읽으면\s*좋은)\s*(?:뉴스|기사)"
    r"|이\s*기사와\s*함께\s*(?:많이\s*)?(?:본|읽은)\s*(?:뉴스|기사)|관련\s*뉴스|포토\s*뉴스|랭킹\s*뉴스)"
    r"\s*[\]>】)]?\s*(?P<rest>.*)$"
)
_SHARE_WORDS = frozenset(
    """공유 공유하기 기사공유 SNS 페이스북 facebook 트위터 twitter x 카카오톡 카카오스토리
    카카오 밴드 네이버 블로그 네이버블로그 url복사 url 복사 링크복사 링크 주소복사 스크랩 인쇄
    프린트 글자크기 글씨크기 글자 글씨 크게 작게 확대 축소 좋아요 싫어요 추천 댓글 기사저장 저장
    북마크 텔레그램 메일 이메일 닫기 보내기 가 본문 키우기 줄이기 구독 기사 듣기 읽기 +""".split()
)
_SHARE_SPLIT = re.compile(r"[\s|·,/:()\[\]]+")
_ARROW_START = re.compile(r"^\s*[-*]?\s*[▶☞▷►→➤]")


@dataclass(frozen=True, slots=True)
class Cleaned:
    body: str  # paragraphs, one per line
    publisher_hint: str = ""  # the outlet a byline prefix names ('[더팩트|… 기자]' -> '더팩트')
    date_hint: str | None = None  # a time printed in the text ('입력 2025.03.06 14:20'), KST ISO


def normalise_line(line: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", line)).strip()


def _ends_like_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def is_caption(line: str) -> bool:
    return len(line) <= 300 and bool(_CAPTION_TAIL.search(line) or _CAPTION_MARK.search(line))


def _is_share_text(line: str) -> bool:
    words = [w for w in _SHARE_SPLIT.split(line.lower()) if w]
    return bool(words) and len(line) <= 120 and all(w in _SHARE_WORDS for w in words)


def _is_date_line(line: str) -> bool:
    """'입력 2025.03.06 14:20 | 수정 …' or a short line that is little more than a date."""
    if _DATE_LINE.match(line):
        return True
    match = LOOSE_DATE.search(line)
    if not match or _ends_like_sentence(line):
        return False
    rest = (line[: match.start()] + line[match.end():]).strip(" |·•-:")
    return len(rest) <= 24


def _is_footer(line: str) -> bool:
    """Tip-off, subscription, copyright and arrow-link lines."""
    short = len(line) <= 100
    if line.startswith(("ⓒ", "©", "(c)", "(C)")):
        return True
    if _COPYRIGHT.search(line) and len(line) <= 160:
        return True
    if "제보" in line and short and (_TIPOFF_CUE.search(line) or len(line) <= 20):
        return True
    if "구독" in line and len(line) <= 80 and _SUBSCRIBE.search(line):
        return not _ends_like_sentence(line)
    if _ARROW_START.match(line) and len(line) <= 80:
        return True
    return False


def _strip_emails(line: str) -> str | None:
    """The line without e-mail addresses; None when nothing but a signature is left."""
    if "@" not in line:
        return line
    stripped = EMAIL.sub(" ", line)
    if stripped == line:
        return line
    # '홍길동 기자 hong@…', '/홍길동 기자 hong@…', '이메일: …' are signatures, not text.
    rest = re.sub(_SIGNATURE_WORDS, " ", stripped)
    if len(rest.strip()) <= 12:
        return None
    stripped = re.sub(rf"\s*/?\s*{_NAME}\s*{_REPORTER}\s*$", "", stripped.rstrip())
    return normalise_line(stripped)


def _strip_prefix(line: str) -> tuple[str, str]:
    """(line without a byline prefix, the outlet it named or '')."""
    for pattern in _PREFIXES:
        match = pattern.match(line)
        if match and match.end() < len(line):
            pub = (match.groupdict().get("pub") or "").strip()
            return line[match.end():].lstrip(" =-"), pub
    return line, ""


def clean_body(text: str, *, title: str = "") -> Cleaned:
    """Article text with the boilerplate lines removed, one paragraph per line."""
    title_key = normalise_line(title)
    lines = [normalise_line(raw) for raw in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]

    date_hint: str | None = None
    caption_outlet = ""
    kept: list[str] = []
    in_list = False
    for line in lines:
        if in_list:
            # Items of a popular/related list: short, not sentences. A real paragraph ends it.
            if len(line) <= 80 and not _ends_like_sentence(line):
                continue
            in_list = False
        header = _LIST_HEADER.match(line)
        # A bare header, or a bracketed one with an item on the same line ('[관련기사] …').
        if header and (not header.group("rest") or (line[0] in "[<【(" and len(line) <= 90)):
            in_list = True
            continue
        if title_key and line == title_key:
            continue
        if _is_date_line(line):
            date_hint = date_hint or find_date_in_text(line)
            continue
        credited = _CAPTION_TAIL.search(line)
        if credited and len(_SENTENCE_STOP.findall(line[: credited.start()])) >= 2:
            # Several sentences and then ' /연합뉴스': a paragraph with a credit, not a caption.
            line = line[: credited.start()].rstrip()
        if is_caption(line):
            # '/사진=홍길동 기자(머니S)': the credit names the outlet when nothing else does.
            credit = _CAPTION_CREDIT.search(line)
            caption_outlet = caption_outlet or (credit.group(1).strip() if credit else "")
            continue
        if _is_footer(line) or _is_share_text(line):
            continue
        if _BYLINE_LINE.match(line) or _URL.fullmatch(line):
            continue
        line = _strip_emails(line)
        if not line:
            continue
        # A line repeated right away is a caption or a layout artefact; keep one copy.
        if kept and kept[-1] == line:
            continue
        kept.append(line)

    publisher_hint = ""
    for index, line in enumerate(kept[:3]):
        stripped, publisher_hint = _strip_prefix(line)
        if stripped != line:
            kept[index] = stripped
            break

    kept = [_BYLINE_TAIL.sub("", line) for line in kept]
    # Trailing leftovers of lists and widgets: short non-sentences after the last paragraph.
    while kept and len(kept[-1]) <= 40 and not _ends_like_sentence(kept[-1]):
        kept.pop()
    return Cleaned(
        "\n".join(line for line in kept if line), publisher_hint or caption_outlet, date_hint
    )


@dataclass(frozen=True, slots=True)
class TextArticle:
    title: str
    body: str
    publisher: str
    published_at: str | None


def looks_like_headline(line: str) -> bool:
    """A line that can be a title: not too short or long, not a sentence, caption or date."""
    return (
        6 <= len(line) <= 120
        and not re.search(r"다\.?$", line)
        and not line.endswith(".")
        and not is_caption(line)
        and not _is_date_line(line)
        and "@" not in line
        and _strip_prefix(line)[0] == line
    )


def _looks_like_outlet(line: str) -> bool:
    return len(line) <= 20 and len(line.split()) <= 3 and not _ends_like_sentence(line)


def parse_text_article(text: str, fallback_title: str) -> TextArticle:
    """A plain-text article like the seed files: outlet and title on the first lines, maybe."""
    lines = [normalise_line(line) for line in text.replace("\r", "\n").split("\n")]
    head = [line for line in lines if line][:2]
    title, publisher, skip = fallback_title, "", 0
    if len(head) == 2 and _looks_like_outlet(head[0]) and looks_like_headline(head[1]):
        publisher, title, skip = head[0], head[1], 2
    elif head and looks_like_headline(head[0]):
        title, skip = head[0], 1
    rest_lines = [line for line in lines if line][skip:]
    cleaned = clean_body("\n".join(rest_lines), title=title)
    return TextArticle(
        title=title,
        body=cleaned.body,
        publisher=publisher or cleaned.publisher_hint,
        published_at=cleaned.date_hint,
    )
