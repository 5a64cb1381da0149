"""People with their organisation and title, and the anonymous sources news cites.

News introduces a person once in full (`정신아 카카오 대표`, `카카오 정신아 대표`,
`이상호 최고AI책임자(CAIO)`) and then shortens (`정 대표`, `김범수 창업자`, `정신아는`).
`find_roles` reads one sentence; `merge_people` joins an article's mentions into people,
so every short form points at the full name introduced earlier in the same article.

Names come from the entity recogniser's PS spans when it gives them, and from a pattern
over eojeols otherwise: a name of two to four syllables starting with a Korean surname,
followed by organisation words and a title from the gazetteer below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from analysis.morph import Token

# Titles that follow a name. Longer entries are tried first, so 최고AI책임자 wins over 책임자.
TITLES = (
    "대표이사", "공동대표", "각자대표", "대표", "부사장", "사장", "부회장", "회장", "명예회장",
    "이사회 의장", "의장", "창업자", "공동창업자", "창업주", "최고경영자", "최고기술책임자",
    "최고AI책임자", "최고재무책임자", "최고운영책임자", "최고전략책임자", "최고정보책임자",
    "최고개인정보보호책임자", "책임자", "CEO", "CTO", "CFO", "COO", "CAIO", "CSO", "CIO", "CPO",
    "전무", "상무", "이사", "감사", "본부장", "센터장", "부문장", "실장", "팀장", "그룹장",
    "랩장", "소장", "원장", "단장", "국장", "처장", "청장", "부장", "차장", "과장", "대리",
    "총괄", "리더", "수석연구원", "책임연구원", "선임연구원", "연구위원", "연구원", "애널리스트",
    "이코노미스트", "교수", "부교수", "조교수", "박사", "장관", "차관", "위원장", "부위원장",
    "위원", "의원", "총리", "대통령", "비서관", "수석", "대변인", "총재", "부총재", "변호사",
    "회계사", "사무총장", "사무국장", "이사장", "고문", "매니저", "엔지니어", "디렉터",
    "창립자", "대표변호사", "구청장", "군수",
)
# 시장 (mayor) and 지사 (governor) are left out: in news '모델 시장', '공공 시장' mean a market.
_TITLES_LONGEST = sorted(TITLES, key=len, reverse=True)
# Titles glued to their organisation: 'LG AI연구원장' is 원장 of LG AI연구원.
_GLUED_HEAD = {"원장": "원", "소장": "소", "청장": "청", "처장": "처", "회장": "회",
               "단장": "단", "센터장": "센터", "본부장": "본부", "장관": "부", "위원장": "위원회"}
# Heads of anonymous sources: '카카오 관계자', '한 IT 업계 관계자'.
ANONYMOUS_HEADS = ("관계자", "관계자들", "전문가", "전문가들", "소식통", "담당자", "관계당국")

SURNAMES_2 = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방")
SURNAMES = frozenset(
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄"
    "채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부"
)
# Words that start with a surname syllable and stand where a name would, but are not names.
_NOT_NAMES = frozenset(
    "이번 이날 이후 이전 이에 이와 이어 이미 이는 정부 정책 한편 한국 전임 신임 현재 당시 지난 "
    "최근 최초 최대 최고 주요 공동 각자 고문 전문 전체 전국 이사 대표 사장 조직 김씨 임시 "
    "정식 기존 차기 초대 역대 안팎 안에 오는 오늘 하지만 한번 유일 유력 성공 구체 문제 진행 "
    "관련 모두 조만간 강력 전략 장기 단기 경영 우리 방향 서비스 조기 배경 황금 연구 "
    "원장 반면 동시 동안 전날 강조 한때 한층 한창 양사 각사 자사 본사 국내 해외".split()
)
# Organisation endings: '한국은행 총재' has no person in it.
_ORG_ENDINGS = ("은행", "증권", "그룹", "전자", "협회", "학회", "재단", "대학", "대학교", "위원회",
                "연구소", "연구원", "공사", "공단", "센터", "본부", "텔레콤", "카드", "생명", "화재",
                "캐피탈", "랩스", "소프트", "부", "처", "청", "사", "원")
_ORG_ENDINGS_LONG = tuple(e for e in _ORG_ENDINGS if len(e) >= 2)
_ORG_ENDINGS_3 = (*_ORG_ENDINGS_LONG, "부", "처", "청")  # 국토부, 조달청: three syllables
_NOUN_TAGS = frozenset(
    {"NNG", "NNP", "NNB", "NR", "SN", "SL", "SH", "SSO", "SSC", "SW", "XSN", "XPN"}
)
_SUBJECT_PARTICLES = ("은", "는", "이", "가", "도", "께서")
_PAREN = re.compile(r"\([^)]*\)")


@dataclass(frozen=True, slots=True)
class Eojeol:
    start: int
    end: int
    text: str
    noun: str  # the leading run of nominal tokens: '대표는' -> '대표'
    tail: str  # what follows it: particles, endings ('는')
    tokens: tuple[Token, ...]

    @property
    def bare(self) -> bool:
        """Only nominal tokens: no particle or ending (so it can sit inside a noun phrase)."""
        return not self.tail

    @property
    def proper(self) -> bool:
        return any(t.tag in ("NNP", "SL") for t in self.tokens)


@dataclass(frozen=True, slots=True)
class RoleMention:
    """One mention of a person (or of an anonymous source) in a sentence."""

    start: int
    end: int
    text: str  # as written: '정신아 카카오 대표는' without the particle
    name: str  # full name, or the surname alone for '정 대표'; '' for anonymous sources
    org: str = ""
    title: str = ""
    short: bool = False  # surname + title only
    anonymous: str = ""  # the label of an anonymous source: '한 IT 업계 관계자'
    subject: bool = False  # followed by a subject particle (은/는/이/가): a likely speaker


@dataclass(slots=True)
class Person:
    """One person in one article, with every way the article names them."""

    name: str
    org: str = ""
    title: str = ""
    aliases: list[str] = field(default_factory=list)
    mentions: list[tuple[int, RoleMention]] = field(default_factory=list)  # (sentence index, m)

    def add_alias(self, alias: str) -> None:
        if alias and alias != self.name and alias not in self.aliases:
            self.aliases.append(alias)


def eojeols(text: str, tokens: Sequence[Token]) -> list[Eojeol]:
    """Space-separated words of a sentence with their Kiwi tokens and nominal head."""
    out: list[Eojeol] = []
    toks = sorted(tokens, key=lambda t: t.start)
    k = 0
    for m in re.finditer(r"\S+", text):
        start, end = m.span()
        while k < len(toks) and toks[k].start < start:
            k += 1
        own: list[Token] = []
        j = k
        while j < len(toks) and toks[j].start < end:
            own.append(toks[j])
            j += 1
        noun_end = start
        for t in own:
            if t.tag not in _NOUN_TAGS or (t.tag == "SSC" and t.form not in (")", "]")):
                break
            if t.tag == "SSO" and t.form not in ("(", "["):
                break
            noun_end = max(noun_end, min(t.end, end))
        else:
            noun_end = end
        # A word opening a quote ('"카카오는') gets no noun: it is inside the quote.
        out.append(
            Eojeol(start, end, text[start:end], text[start:noun_end], text[noun_end:end],
                   tuple(own))
        )
    return out


_ONE_WORD_TITLES = [t for t in _TITLES_LONGEST if " " not in t]
_TITLE_END = re.compile("(?:" + "|".join(map(re.escape, _ONE_WORD_TITLES)) + ")$")
# A sentence without any of these words names nobody with a title and no anonymous source.
_CUES = re.compile("|".join(map(re.escape, (*_ONE_WORD_TITLES, *ANONYMOUS_HEADS))))


@lru_cache(maxsize=8192)
def title_of(noun: str) -> str:
    """The title a noun ends with ('최고AI책임자(CAIO)' -> '최고AI책임자'), or ''."""
    m = _TITLE_END.search(_PAREN.sub("", noun).strip() if "(" in noun else noun)
    return m.group(0) if m else ""


def _anonymous_head(noun: str) -> bool:
    return noun in ANONYMOUS_HEADS


def is_name(word: str) -> bool:
    """A Korean personal name by shape: a surname and one to three more syllables."""
    if not 2 <= len(word) <= 4 or not all("가" <= c <= "힣" for c in word):
        return False
    if word in _NOT_NAMES:
        return False
    if word[:2] in SURNAMES_2 and len(word) >= 3:
        return True
    if word[0] not in SURNAMES:
        return False
    if len(word) == 4:
        return False  # four syllables with a one-syllable surname are rare; words are not
    return not word.endswith(_ORG_ENDINGS_LONG if len(word) != 3 else _ORG_ENDINGS_3)


def surname_of(name: str) -> str:
    return name[:2] if len(name) >= 3 and name[:2] in SURNAMES_2 else name[:1]


def _org_word(e: Eojeol, spans: Sequence[tuple[int, int]]) -> bool:
    """A bare word that can be (part of) an organisation name."""
    if not e.bare or not e.noun or e.noun in _NOT_NAMES:
        return False
    if not e.proper and any(t.tag == "SN" for t in e.tokens):
        return False  # 24일, 3년
    return e.proper or any(s <= e.start and e.end <= t for s, t in spans)


def find_roles(
    text: str,
    tokens: Sequence[Token],
    person_spans: Sequence[tuple[int, int]] = (),
    org_spans: Sequence[tuple[int, int]] = (),
) -> list[RoleMention]:
    """People with their organisation and title, and anonymous sources, in one sentence.

    `person_spans` and `org_spans` are (start, end) of PS and OG entities when the entity
    recogniser ran; without them names are recognised by their shape.
    """
    if not _CUES.search(text) and not person_spans:
        return []
    words = eojeols(text, tokens)
    found: list[RoleMention] = []
    used_until = -1
    i = 0
    while i < len(words):
        if words[i].start < used_until:
            i += 1
            continue
        mention = _person_at(words, i, person_spans, org_spans) or _anonymous_at(
            words, i, org_spans
        )
        if mention is not None:
            found.append(mention)
            used_until = mention.end
        i += 1
    return found


def _name_at(
    words: list[Eojeol], i: int, person_spans: Sequence[tuple[int, int]]
) -> tuple[str, int]:
    """(name, index of its last word) when a bare name starts at word i, else ('', i).

    A PS span may cover several words (샘 올트먼); it must end where a word ends, with no
    particle, because the organisation and title follow it.
    """
    w = words[i]
    for s, e in person_spans:
        if s != w.start or (w.bare and w.noun in SURNAMES):
            continue  # a lone surname (정 대표) is a short form, read below
        last = i
        while last + 1 < len(words) and words[last + 1].start < e:
            last += 1
        first = w.noun if w.bare else w.text
        if is_name(first):
            # A Korean name is one word; a span running on took the organisation with it
            # (김민준 하람랩 대표), which the pattern reads next.
            return first, i
        if words[last].end == e and words[last].bare:
            return " ".join(x.text for x in words[i : last + 1]), last
    if w.bare and is_name(w.noun) and (not _common_word(w) or _titled_three(words, i)):
        return w.noun, i
    if not w.bare and is_name(w.text) and w.tokens and w.tokens[-1].tag[0] not in "JE":
        # Kiwi reads some names as words: 박은서 -> 박 + 은 + 서. A word that ends in neither
        # a particle nor a verb ending (이끄는, 지원한) is still whole: its shape decides.
        return w.text, i
    return "", i


def _titled_three(words: list[Eojeol], i: int) -> bool:
    """A three-syllable word Kiwi reads as one common noun, right before a word that ends in
    a title ('유재풍 윤리심사자문위원장은'): a name it does not know. Two syllables are not
    enough (신임 위원장, 공동 대표)."""
    return (len(words[i].noun) == 3 and i + 1 < len(words)
            and bool(title_of(words[i + 1].noun)))


def _common_word(w: Eojeol) -> bool:
    """Kiwi knows the word as one common noun (공공, 지난달, 지자체): not a name.

    Names Kiwi does not know come out as NNP or in pieces (정신 + 아), so this keeps them.
    """
    if len(w.tokens) != 1:
        return False
    return w.tokens[0].tag in ("NNG", "MAG", "NP", "MM") and w.tokens[0].form == w.noun


def _person_at(
    words: list[Eojeol],
    i: int,
    person_spans: Sequence[tuple[int, int]],
    org_spans: Sequence[tuple[int, int]],
) -> RoleMention | None:
    """A person named at word i: full name or surname, organisation words, a title."""
    name, last = _name_at(words, i, person_spans)
    w = words[i]
    short = not name and w.bare and (w.noun in SURNAMES or w.noun in SURNAMES_2)
    if short:
        name = w.noun
    if not name:
        return None
    # Up to four organisation words before the title: 정신아 [카카오] 대표; '정 대표' has none.
    j = last + 1
    while j < len(words) and not title_of(words[j].noun):
        if short or j - last > 4 or not (words[j].bare and words[j].noun):
            return None
        j += 1
    if j >= len(words):
        return None
    org, title = _org_and_title(words[last + 1 : j], words[j])
    if not org and not short and i > 0:
        before = words[i - 1]
        # 카카오 정신아 대표, 카카오의 정신아 대표
        if _org_word(before, org_spans) or (before.tail == "의" and before.proper):
            org = before.noun
    end = words[j].start + len(words[j].noun)
    return RoleMention(
        start=w.start,
        end=end,
        text=_slice(words, i, j, end),
        name=name,
        org=org,
        title=title,
        short=short,
        subject=words[j].tail.startswith(_SUBJECT_PARTICLES),
    )


def _org_and_title(middle: list[Eojeol], title_word: Eojeol) -> tuple[str, str]:
    """The organisation and the title from the words between a name and its title word.

    The first word is the organisation, later ones belong to the title (카카오 AI사업부문
    부사장), a prefix glued to the title stays in it (최고AI책임자), except for heads of an
    institution: 'LG AI연구원장' is 원장 of LG AI연구원.
    """
    noun = _PAREN.sub("", title_word.noun).strip()
    title = title_of(title_word.noun)
    prefix = noun[: len(noun) - len(title)]
    parts = [m.noun for m in middle]
    if prefix and title in _GLUED_HEAD:
        return " ".join([*parts, prefix + _GLUED_HEAD[title]]), title
    title = prefix + title
    if not parts:
        return "", title
    return parts[0], " ".join([*parts[1:], title])


def _slice(words: list[Eojeol], i: int, j: int, end: int) -> str:
    text = " ".join(w.text for w in words[i:j])
    head = words[j].text[: end - words[j].start]
    return f"{text} {head}".strip() if text else head


def _anonymous_at(
    words: list[Eojeol], i: int, org_spans: Sequence[tuple[int, int]]
) -> RoleMention | None:
    """'카카오 관계자', '한 IT 업계 관계자', '한 증권사 연구원': a source without a name."""
    if words[i].noun in _NOT_DESCRIPTORS:
        return None
    parts: list[Eojeol] = []
    for e in words[i : i + 6]:
        indefinite = any(x.text == "한" for x in parts)
        if _anonymous_head(e.noun) or (indefinite and parts[-1].text != "한" and title_of(e.noun)):
            label = " ".join([x.text for x in parts] + [e.noun])
            # '카카오 관계자' speaks for 카카오; '한 벤처캐피털 관계자', '클라우드 업계 관계자'
            # for nobody in particular.
            generic = any(x.text == "한" or x.noun in _GENERIC for x in parts)
            named = [x for x in parts if x.proper]
            return RoleMention(
                start=words[i].start,
                end=e.start + len(e.noun),
                text=label,
                name="",
                org=named[0].noun if len(named) == 1 and not generic else "",
                title="" if _anonymous_head(e.noun) else e.noun,
                anonymous=label,
                subject=e.tail.startswith(_SUBJECT_PARTICLES),
            )
        if e.text == "한":  # the indefinite 'a': 한 IT 업계 관계자, 업계 한 관계자
            parts.append(e)
            continue
        if not (e.bare and e.noun) or e.noun in _NOT_DESCRIPTORS or title_of(e.noun):
            return None
        parts.append(e)
    return None


# Words that start a sentence or a clause and never describe a source.
_NOT_DESCRIPTORS = frozenset(
    "이날 당시 최근 현재 한편 또 특히 다만 이에 이번 앞서 그러나 하지만 또한 같은 날 오늘 "
    "지난해 올해 내년 이달 지난달 당일 전날".split()
)
# Words that describe where an anonymous source works without naming an organisation.
_GENERIC = frozenset(
    "IT AI ICT 업계 정부 금융권 증권가 학계 재계 관가 당국 회사 기업 증권사 스타트업".split()
)


def merge_people(mentions: Sequence[tuple[int, RoleMention]]) -> list[Person]:
    """The article's people: full mentions grouped by name, short ones resolved to them.

    `mentions` are (sentence index, mention) in reading order. A short mention (`정 대표`)
    goes to the person introduced most recently before it whose name starts with that
    surname, preferring one with the same title; one nobody introduced is dropped.
    """
    people: list[Person] = []
    last_seen: dict[int, int] = {}  # id(person) -> order of its latest mention
    order = 0
    for sentence, m in mentions:
        order += 1
        if m.anonymous or not m.name:
            continue
        if m.short:
            person = _resolve_short(m, people, last_seen)
            if person is None:
                continue
        else:
            # Same name, and no two different organisations: the same person.
            person = next(
                (p for p in people
                 if p.name == m.name and (not m.org or not p.org or p.org == m.org)),
                None,
            )
            if person is None:
                person = Person(m.name)
                people.append(person)
            if m.org and not person.org:
                person.org = m.org
            # The title given with the organisation is the full one (MX사업부장 over 사장).
            fuller = m.org and m.org == person.org and len(m.title) > len(person.title)
            if m.title and (not person.title or fuller):
                person.title = m.title
        person.add_alias(m.text)
        person.mentions.append((sentence, m))
        last_seen[id(person)] = order
    return people


def _resolve_short(
    m: RoleMention, people: list[Person], last_seen: dict[int, int]
) -> Person | None:
    same_surname = [p for p in people if surname_of(p.name) == m.name and len(p.name) > len(m.name)]
    if not same_surname:
        return None
    same_title = [p for p in same_surname if _same_title(p.title, m.title)]
    pool = same_title or same_surname
    return max(pool, key=lambda p: last_seen.get(id(p), 0))


def _same_title(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))
