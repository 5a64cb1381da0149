"""What in a Korean news article tells which story it belongs to (store.stories groups them).

- The kind of piece: an opinion column (사설, 칼럼, [기자수첩], a named column such as
  [홍길동의 세상읽기], or a columnist's signature line), a photo caption ([포토], or a one- or
  two-sentence body ending in the photo's date stamp), a 속보 line or live link ([속보], [1보],
  [현장연결]), or a report.
- The words that name the event: nouns, names, numbers and foreign words of the title and
  the first sentences, without format markers ([속보], (종합), [단독]), datelines and
  bylines ('(서울=연합뉴스) 홍길동 기자 =', '[매체=홍길동 기자]') or e-mail addresses.
- Its names (people, organisations, places) without reporters and outlets, and its amounts.

Everything comes from the analysis ingest has already done (Kiwi tokens, entity mentions,
values), so building a profile costs no second pass over the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from analysis import morph
from analysis.reldates import find_dates
from analysis.values import find_amounts
from store.facts import ArticleFacts
from store.stories import FLASH, OPINION, PHOTO, REPORT, StoryFacts, StoryProfile, figure_key

# Word classes that name things: nouns, numbers, foreign words and roots; verbs, adverbs
# and bound nouns (것, 수, 등) say how, not what.
NAMING_TAGS = frozenset({"NNG", "NNP", "NR", "SN", "SL", "SH", "XR"})
LEAD_SENTENCES = 3
MIN_LEAD_CHARS = 12  # shorter lines ('동영상 뉴스', '[앵커]') are not the lead
# A full report (one that may lead its story) has at least this much body; a caption or a
# 속보 line has a sentence or two.
FULL_SENTENCES, FULL_CHARS = 3, 120

_BRACKETS = re.compile(r"[\[【〔<(]([^\]】〕>)]{1,20})[\]】〕>)]")
# Markers that say how a piece is published, not what it is about.
_FORMAT_MARKERS = ("속보", "종합", "단독", "1보", "2보", "3보", "포토", "사진", "영상", "화보",
                   "현장연결", "PICK", "전문", "인터뷰", "그래픽", "카드뉴스")
# A 속보 line, or a live link whose page is a video player: a report follows within minutes.
_FLASH = re.compile(r"^(속보|[0-9]보|긴급|현장연결|생중계|라이브|LIVE)$", re.IGNORECASE)
_PHOTO = re.compile(r"^(포토|사진|화보|포토뉴스|오늘의 사진|영상)$")
_OPINION = re.compile(
    r"사설|칼럼|기자수첩|취재수첩|기자의 눈|시론|기고|논단|시평|만물상|지평선|만파식적|여적"
    r"|횡설수설|데스크|오피니언|논설|특파원 리포트|세상읽기|발언대|독자투고|[가-힣]{2,4}의 [가-힣 ]{2,10}"
)
# A columnist signs the last line: '이유식 논설고문', '이진숙 | 미술평론가'.
_SIGNATURE = re.compile(
    r"^[가-힣]{2,4}\s*[|/·]?\s*(?:[가-힣]{1,12}\s)?"
    r"(논설위원|논설고문|논설실장|주필|칼럼니스트|평론가|객원논설위원)$"
)
# Datelines and bylines that open a sentence, up to the reporter's '기자 ='.
_BYLINE = re.compile(
    r"^\s*(?:[\[(【〔][^\])】〕]{0,40}[\])】〕]\s*)?"  # (서울=연합뉴스), [헤럴드경제=문재연 기자]
    r"(?:[가-힣]{2,4}\s*(?:기자|특파원|통신원|PD)\s*=\s*)?"  # 홍길동 기자 =
)
_REPORTER = re.compile(r"(?:^|\s)(?:기자|특파원|통신원|앵커|PD|선임기자|인턴기자)(?:\s|$)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_CAPTION_VERB = re.compile(r"(?:고|며) 있(?:다|습니다)")  # a caption tells what is happening
_PHOTO_STAMP = re.compile(r"(?:19|20)\d\d\.\d{1,2}\.\d{1,2}|사진\s*=|/뉴스1|\(사진\)")
NAME_TYPES = ("PS", "OG", "LC")

# Headlines write countries, parties and leaders in one Hanja letter (尹, 北, 韓美, 與野); the
# body writes them in Hangul, so the title's word is read as the body's.
HANJA_WORDS = {
    "尹": "윤", "文": "문", "朴": "박", "北": "북한", "南": "남한", "韓": "한국", "美": "미국",
    "日": "일본", "中": "중국", "英": "영국", "獨": "독일", "佛": "프랑스", "露": "러시아",
    "印": "인도", "濠": "호주", "豪": "호주", "加": "캐나다", "伊": "이탈리아", "軍": "군",
    "與": "여당", "野": "야당", "靑": "청와대", "檢": "검찰", "警": "경찰", "黨": "당",
    "訪": "방문", "對": "대", "親": "친", "反": "반", "株": "주식", "銀": "은행",
}


def format_markers(title: str) -> list[tuple[int, int, str]]:
    """Bracketed markers in a title: (start, end, text inside)."""
    return [(m.start(), m.end(), m.group(1).strip()) for m in _BRACKETS.finditer(title)]


def story_kind(title: str, sentences: Sequence[str]) -> str:
    """opinion, photo, flash (속보) or report."""
    markers = [text for _, _, text in format_markers(title)]
    last = sentences[-1].strip() if sentences else ""
    if any(_OPINION.search(m) for m in markers) or _SIGNATURE.match(last):
        return OPINION
    if any(_PHOTO.match(m) for m in markers) or title.startswith("포토"):
        return PHOTO
    joined = " ".join(sentences)
    if len(sentences) <= 2 and _PHOTO_STAMP.search(joined) and _CAPTION_VERB.search(joined):
        return PHOTO  # a caption: '...악수하고 있다. 2018.10.29'
    if any(_FLASH.match(m) for m in markers) or title.startswith("속보"):
        return FLASH
    return REPORT


def byline_end(sentence: str) -> int:
    """Where a sentence's dateline and byline end (0 when it has none)."""
    m = _BYLINE.match(sentence)
    if not m or not m.group(0).strip():
        return 0
    head = m.group(0)
    # A bracket that holds an outlet or a byline, not the start of what the article says.
    if head.strip().startswith(("[", "(", "【", "〔")) and not re.search(r"=|기자|특파원|뉴스|일보|신문|경제|방송", head):
        return 0
    return m.end()


def _naming(toks: Sequence[morph.Token], skip: list[tuple[int, int]]) -> list[str]:
    words = []
    for t in toks:
        if t.tag not in NAMING_TAGS or not t.form.strip() or any(a <= t.start < b for a, b in skip):
            continue
        if t.tag == "SH":  # Hanja: the Hangul words it stands for (前, 故 and the like say none)
            words.extend(HANJA_WORDS[c] for c in t.form if c in HANJA_WORDS)
        else:
            words.append(t.form.lower())
    return words


def _title_words(title: str, toks: Sequence[morph.Token]) -> list[str]:
    skip = [(a, b) for a, b, text in format_markers(title)
            if any(marker in text for marker in _FORMAT_MARKERS)]
    return [w for w in dict.fromkeys(_naming(toks, skip))]


def story_profile(
    title: str,
    title_tokens: Sequence[morph.Token],
    sentences: Sequence[str],
    tokens: Sequence[Sequence[morph.Token]],
    facts: ArticleFacts,
    publisher: str,
) -> StoryProfile:
    """The profile of one analysed article: `tokens[i]` are sentence i's Kiwi tokens, as
    ingest.prepare made them."""
    kind = story_kind(title, sentences)
    lead: list[str] = []
    bylines: dict[int, int] = {}
    taken = 0
    for i, (text, toks) in enumerate(zip(sentences, tokens)):
        cut = byline_end(text)
        if cut:
            bylines[i] = cut
        if taken < LEAD_SENTENCES and len(text) - cut >= MIN_LEAD_CHARS:
            words = _naming(toks, [(0, cut)] + [m.span() for m in _EMAIL.finditer(text)])
            if words:
                lead.extend(words)
                taken += 1
    body: Counter[str] = Counter()
    for text, toks in zip(sentences, tokens):
        body.update(_naming(toks, [m.span() for m in _EMAIL.finditer(text)]))
    outlet = publisher.strip().lower()
    names = set()
    for mention in facts.mentions:
        if mention.type not in NAME_TYPES or mention.start < bylines.get(mention.sentence, 0):
            continue
        key = mention.key
        after = sentences[mention.sentence][mention.start:mention.end + 6][len(mention.text):]
        if any(c in key for c in "=@/&") or outlet and (key in outlet or outlet in key):
            continue  # a dateline, an address or the outlet itself
        if mention.type == "PS" and (_REPORTER.match(after) or _REPORTER.search(mention.text)):
            continue  # the reporter, not someone in the story
        # A name's words, so '스콧 스나이더', '스나이더 연구원' and '스콧 스나이더 미국외교협회'
        # share what they share.
        names.update(w for w in key.split() if len(w) >= 2)
    figures = {figure_key(v.value, v.unit) for v in facts.values
               if v.kind in ("money", "quantity") and v.value is not None}
    full = kind == REPORT and len(sentences) >= FULL_SENTENCES and sum(map(len, sentences)) >= FULL_CHARS
    title_words = _title_words(title, title_tokens)
    return StoryProfile(
        kind=kind, full=full, title=title_words, lead=list(dict.fromkeys(title_words + lead)),
        body=dict(body), names=sorted(names), figures=sorted(figures),
    )


# -- a later article's new fact (an update alert) --------------------------------------------

FACT_SENTENCES = 2  # a new fact counts when the title or the first sentences state it
TALLY_UNITS = ("명", "곳", "개", "건")  # counters a headline tallies a printed list in
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def new_fact(
    title: str, sentences: Sequence[str], facts: ArticleFacts, published_at: str | None,
    known: StoryFacts,
) -> str:
    """The sentence (or title) of a later article that tells its story's readers something
    new, '' when it tells nothing new (most rewrites, though they add a number or two):

    - an amount in its title that no article of the story stated ('…승객 3명 병원 이송'),
      other than the length of a list one printed;
    - a revised count in its first sentences: the same thing counted as an earlier article
      (unit and what it counts), another number (부상자 3명 → 7명);
    - a day in its title the story had not named (a date set: '…내달 5일 재개');
    - a quote in its title unlike every quote and headline the story carried.
    """
    today = (published_at or "")[:10]
    if _squashed(title) in {_squashed(t) for t in known.titles}:
        title = ""  # the same headline again says nothing new
    said = known.figures.union(*(title_figures(t) for t in known.titles))
    # A headline's count of a list the story printed tallies it ('공관장 13명 인사' after
    # the 13 names): nothing new.
    said |= {figure_key(n, unit) for n in known.listed for unit in TALLY_UNITS}
    if title and not title_figures(title) <= said:
        return title
    lead = _lead_indexes(sentences)
    for v in facts.values:
        if (v.sentence in lead and v.value is not None and v.counted
                and (v.unit, v.counted) in known.counted
                and figure_key(v.value, v.unit) not in said):
            return sentences[v.sentence]
    named = [d.iso for d in find_dates(title, _day_of(today))
             if d.precision == "day" and d.iso != today]
    if named:
        # The days the story's headlines name, read only for a title that names one: this
        # runs under the ingest write lock, and a story may have hundreds of headlines.
        days = known.dates | {d.iso for t in known.titles for d in find_dates(t, _day_of(today))}
        if any(iso not in days for iso in named):
            return title
    for quoted in _TITLE_QUOTE.findall(title):
        if len(quoted) >= QUOTE_CHARS and not any(
            fuzz.partial_ratio(quoted, old) >= QUOTE_SAME for old in [*known.quotes, *known.titles]
        ):
            return title
    return ""


@lru_cache(maxsize=4096)
def title_figures(title: str) -> frozenset[str]:
    """The amounts a headline states, as figure keys. Every later article of a story that
    alerted a chat is checked against all the story's headlines, so without this a story of
    a hundred articles would send a hundred headlines through Kiwi again for each new one;
    a headline is analysed once while it is among the recent 4,096."""
    return frozenset(figure_key(a.value, a.unit) for a in find_amounts(title, morph.tokens(title)))


QUOTE_SAME = 50  # rapidfuzz partial ratio at which a quote is one the story carried already
QUOTE_CHARS = 8  # shorter quoted words in a title are names or terms, not what was said
_TITLE_QUOTE = re.compile(r"[\"“”']([^\"“”']{2,80})[\"“”']|[‘]([^’]{2,80})[’]")


def _squashed(text: str) -> str:
    return re.sub(r"\W+", "", text)


def _day_of(iso: str) -> date | None:
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


def _lead_indexes(sentences: Sequence[str]) -> set[int]:
    """Indexes of the first FACT_SENTENCES sentences that say something (bylines skipped)."""
    found: set[int] = set()
    for i, text in enumerate(sentences):
        if len(text) - byline_end(text) >= MIN_LEAD_CHARS:
            found.add(i)
            if len(found) == FACT_SENTENCES:
                break
    return found
