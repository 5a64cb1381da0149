"""Reading a user's question: its content morphemes and what kind of answer it wants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from analysis import morph
from analysis.aliases import PAIRS, full_names
from analysis.dates import to_kst_iso
from answer.kinds import DOLLAR_COUNTRIES

# Morphemes that only say "this is a question" (or are too light to steer a search);
# they carry no topic.
QUESTION_WORDS = frozenset(
    {
        "무엇", "뭐", "무슨", "어떤", "어떻", "어느", "누구", "누가", "언제", "어디", "얼마",
        "몇", "왜", "어찌", "하", "되", "있", "없", "알리", "알", "주", "말하", "그럼", "그러면",
        "그", "이", "저", "것", "거", "수", "좀", "대하", "관하", "궁금", "나요", "야", "뭘",
        "무엇때문", "이런", "그런", "어때", "지금", "혹시", "알려주", "말해주", "얼마나",
        "며칠", "결국", "대체", "도대체", "과연", "정확히",
    }
)

# Words of time, degree and talk that a chat question holds and no article needs to hold
# ('작년', '요즘', '제일', '자세히', '소식'): never named as words the articles lack.
EVERYDAY_WORDS = frozenset(
    "작년 올해 지난해 내년 재작년 요즘 요새 최근 오늘 어제 내일 그제 이번 지난 다음 이번주 지난주 "
    "이달 지난달 제일 가장 정도 자세히 얘기 이야기 소식 내용 뉴스 기사 정리 요약 근황 현재 지금 아직 "
    "여전히 결국 대충 대략 혹시 진짜 정말 완전 아까 방금 먼저 나중 그때 당시 쪽".split()
)

# The kind of answer a question asks for, from the question word it contains.
# Date cues come first: "몇 년" asks for a date although it contains "몇"; '몇 년 동안'
# asks for a duration, which the amount patterns cover.
TYPE_CUES: tuple[tuple[str, str], ...] = (
    ("몇 년 동안", "amount"), ("몇년 동안", "amount"), ("몇 년간", "amount"),
    ("몇 년 몇", "amount"), ("몇년 몇", "amount"),
    ("몇년간", "amount"),
    ("언제", "date"), ("며칠", "date"), ("몇 년", "date"), ("몇년", "date"), ("연도", "date"),
    ("몇 월", "date"), ("몇월", "date"), ("날짜", "date"), ("시기", "date"), ("년도", "date"),
    ("누구", "person"), ("누가", "person"), ("누군", "person"), ("인물", "person"),
    ("얼마", "amount"), ("몇", "amount"), ("규모", "amount"), ("예산", "amount"),
    ("매개변수", "amount"), ("파라미터", "amount"), ("가격", "amount"), ("금액", "amount"),
    ("투자액", "amount"), ("매출", "amount"), ("인원", "amount"), ("기업가치", "amount"),
    ("용량", "amount"), ("크기", "amount"),
    ("어디", "place"), ("어느 곳", "place"), ("어느 나라", "place"), ("어느 도시", "place"),
    # '…의 이름이 뭐야?': a name (of a unit, a ship, a statement), said of what is asked.
    ("이름", "name"), ("명칭", "name"),
)

# The entity types (as the tagger stores them) that can answer each kind of question.
KIND_TYPES: dict[str, tuple[str, ...]] = {
    "person": ("PS",), "date": ("DT",), "amount": ("QT",), "place": ("LC", "OG"),
}
# The noun a question asks about ('…을 폭로한 인물은?', '…가 입대한 년도는?') says what
# kind of thing answers it, when no question word does.
HEAD_TYPES: dict[str, tuple[str, ...]] = {
    **{w: ("PS",) for w in (
        "인물 사람 대통령 의원 선수 감독 왕 작가 교수 회장 장관 총리 황제 노동자 학자 사장 "
        "대표 후보 주인공 배우 가수 장군 창업자 아들 딸 아버지 어머니 부인 아내 남편 인사 "
        "총재 의장 위원장 기자 화가 시인 국왕 여왕 왕비 선교사 과학자 발명가 설립자 부통령 "
        "작곡가 감독관 코치 멤버 제자 스승 후계자 황후 지도자 정치인 정치가 누구"
    ).split()},
    **{w: ("DT",) for w in "년도 연도 해 날짜 시기 날 시점 연대 요일 세기".split()},
    **{w: ("LC", "OG") for w in "곳 장소 지역 나라 도시 국가 위치 지명 섬 산 강 어디".split()},
    **{w: ("QT",) for w in "나이 금액 인원 가격 규모 비율 거리 높이 길이 면적 무게 인구".split()},
    **{w: ("OG",) for w in "정당 당 단체 기관 회사 기업 대학 대학교 학교 구단 협회 조직 방송사 신문사".split()},
}
NOUN_TAGS = frozenset({"NNG", "NNP", "NP"})

# Tags of terms that name something specific: they weigh more than common nouns and verbs.
NAME_TAGS = frozenset({"NNP", "SL", "SH", "SN"})


@dataclass(frozen=True, slots=True)
class WrittenWord:
    """A word of the question as its asker wrote it, without particles or endings, and the
    index terms Kiwi read in it ('LG에너지솔루션은' -> LG에너지솔루션; lg, 에너지, 솔루션)."""

    surface: str
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SpelledWord:
    """A word of the question between spaces and punctuation: how it may be spelled without
    a particle or copula (as written first), and the index terms the analysis read in it
    ('윤종오' -> 윤, 종, 오; '비건이' -> 비건이, 비건; 비)."""

    forms: tuple[str, ...]
    terms: tuple[str, ...]
    nouns: bool = True  # whether the analysis read a noun, number or foreign word in it


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    terms: list[str]  # content morphemes without question words, in order, unique
    kind: str  # 'person', 'amount', 'date', 'place' or 'other'
    sequence: tuple[str, ...] = ()  # content morphemes in order, repeats kept (for phrases)
    names: frozenset[str] = field(default_factory=frozenset)  # terms tagged as names/numbers
    weights: dict[str, float] = field(default_factory=dict)  # IDF per term, once retrieval knows
    wants: tuple[str, ...] = ()  # entity types that can answer ('PS', 'DT', ...); () if any
    head: str = ""  # the last noun: what is asked about ('기업가치는 얼마야?' -> 가치)
    wholes: dict[str, tuple[str, str]] = field(default_factory=dict)  # 별샘 -> (별, 샘)
    # Surface forms of the question's last predicate ('…을 폭로한 의원은?' -> 폭로): the
    # sentence a question was asked of says that same thing, next to the answer.
    predicate: tuple[str, ...] = ()
    # Model names written as one word (s8, hbm3e): terms only where the index has them,
    # since a store built before they were indexed knows only their pieces.
    model_names: frozenset[str] = field(default_factory=frozenset)
    # Nouns written as one word ('LG에너지솔루션' -> lg, 에너지, 솔루션): an article about
    # that thing holds its pieces side by side, not apart ('에너지 … 솔루션').
    compounds: tuple[tuple[str, ...], ...] = ()
    # The question's words as its asker wrote them (for notes and the /search suggestion).
    written: tuple[WrittenWord, ...] = ()
    units: frozenset[str] = frozenset()  # what the answer is counted in; empty: any unit
    particle: str = ""  # '부터', '까지' (from or until when) or '로' ('언제로')
    versions: tuple[tuple[str, str], ...] = ()  # a name and the version written after it
    # The last predicate as Kiwi reads it (('발부', 'NNG') of '발부된', ('잃', 'VV') of
    # '잃은'), for words of like meaning; ('', '') when it has none.
    predicate_stem: tuple[str, str] = ("", "")
    # The noun the question word asks about ('사망자 결국 몇 명' -> 사망자, '신년사 누가
    # 했어' -> 신년사); '' when only a word that anchors nothing stands there ('날짜는 언제').
    asked: str = ""
    # Ordinals the question names ('3차 시험발사', '제8차 포럼'): the sentence that answers
    # says which one, as written without spaces.
    ordinals: tuple[str, ...] = ()
    spelled: tuple[SpelledWord, ...] = ()  # its words as spelled, for names Kiwi broke up
    # What kind of question it is, beyond the kind of value ('fact'): 'latest' (요즘 X?),
    # 'window' (오늘 / 이번 주 뉴스), 'why' (왜, 이유, 어떻게), 'list' (뭐뭐, 각각),
    # 'comparison' (A랑 B 중에, 비교) or 'state' (아직, 지금, 결국: the newest word on it).
    intent: str = "fact"
    window: str = ""  # the time the question names ('오늘', '이번 주', '8월'), for 'window'
    # In a reply to a list or a bundle: which item it is about ('2번', '두 번째', '#2'; 0
    # when none), and whether it asks for that article told ('요약해줘', '자세히').
    item: int = 0
    retell: bool = False
    # When it was asked, ISO 8601 in KST ('' for now): articles published later do not
    # exist yet for it, and '오늘', '이번 주' are counted from it.
    asked_at: str = ""
    # The question's predicates as (form -> tag): its verbs and adjectives, and the verbal
    # noun of its last predicate; their kin in other words weigh a little (retrieval).
    verbs: dict[str, str] = field(default_factory=dict)
    # Names a term of the question stands for, as articles write them: shorthand (국힘 ->
    # 국민의힘, 尹 -> 윤석열; analysis.aliases) and short forms articles defined (added by
    # retrieval). A sentence that names one of them holds the term.
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Words no article holds that retrieval read as a known word one slip away (하람렙 ->
    # 하람랩): not unknown, and named as corrected.
    corrected: dict[str, str] = field(default_factory=dict)
    # The same as index terms (국힘 -> (국민, 힘)), once retrieval has looked them up.
    alternative_terms: dict[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)

    # Words of what the asker already knows and wants others than ('KT 말고 또 있어?' ->
    # ('kt',)): the answer names something besides them.
    besides: tuple[str, ...] = ()

    def names_term(self, term: str, text: str) -> bool:
        """Whether `text` (lower-cased) holds `term` or one of the names it stands for."""
        return term in text or any(a.lower() in text for a in self.alternatives.get(term, ()))

    def keywords(self, limit: int = 4) -> list[str]:
        """The question's words as its asker wrote them, for a /search to suggest."""
        return keywords_of(self.written, limit)


# Cues that are nouns ask for their kind only as what the question asks about ('예산은?',
# '투자 규모는 얼마야?'), not as a word on the way ('안기부 예산 횡령을 폭로한 의원은?').
NOUN_CUES = frozenset({
    "연도", "날짜", "시기", "년도", "인물", "규모", "예산", "매개변수", "파라미터", "가격", "금액",
    "투자액", "매출", "인원", "기업가치", "용량", "크기", "이름", "명칭",
})
_ASKED_AFTER = re.compile(
    r"(?:은|는|이|가|을|를|도|의)?\s*(?:$|[?？.]|얼마|몇|언제|무엇|뭐|어느|어떻|누구|알려|말해|"
    r"인가|이야|야\b|일까|입니까|인지|이었|였|이에요|예요|이죠|죠|요\b)"
)


def question_kind(text: str) -> str:
    squeezed = re.sub(r"\s+", " ", text).strip()
    for cue, kind in TYPE_CUES:
        if cue not in squeezed:
            continue
        if cue in NOUN_CUES and not any(
                _ASKED_AFTER.match(squeezed, m.end()) for m in re.finditer(re.escape(cue), squeezed)):
            continue
        return kind
    return "other"


@lru_cache(maxsize=2048)
def _tokens(text: str) -> tuple[morph.Token, ...]:
    return tuple(morph.tokens(text))


@lru_cache(maxsize=2048)
def _analyse(text: str) -> tuple[tuple[str, str], ...]:
    toks = _tokens(text)
    # Kiwi keeps some multi-word names as one token ('캐시 크루즈'); the index splits on
    # spaces, so the question's terms must too.
    analysed = tuple(
        (piece, tag) for form, tag in morph.tagged_index_terms(toks) for piece in form.split()
    )
    known = [form for form, _ in analysed]
    return analysed + tuple((name, "NNP") for name in morph.colon_names(text, known))


def read_question(text: str, asked_at: datetime | None = None) -> Question:
    """Read `text` once into every view of it the engine needs; `asked_at`: when it was
    asked (the message's time in Telegram; now when None)."""
    text = morph.nfc(text or "").strip()
    analysed = _analyse(text[:500]) if text else ()
    spelled = spelled_words(text[:500]) if text else ()
    alternatives = shorthand_in(spelled)
    analysed = _with_shorthand(analysed, spelled, alternatives)
    besides, marker = besides_of(text[:500])
    sequence = tuple(form for form, _ in analysed)
    terms = [form for form in sequence if form not in QUESTION_WORDS and form not in marker]
    names = frozenset(form for form, tag in analysed if tag in NAME_TAGS and form in terms)
    kind = question_kind(text)
    nouns = [form for form, tag in analysed if tag in NOUN_TAGS and form in terms]
    return Question(text, list(dict.fromkeys(terms)), kind, sequence, names,
                    wants=answer_types(kind, analysed), head=nouns[-1] if nouns else "",
                    predicate=predicate_forms(text[:500]) if text else (),
                    model_names=frozenset(f for f, tag in analysed if morph.is_model_name(f, tag)),
                    compounds=compound_nouns(text[:500]) if text else (),
                    written=written_words(text), units=expected_units(text),
                    particle=asked_particle(text), versions=named_versions(text),
                    predicate_stem=predicate_stem(text[:500]) if text else ("", ""),
                    asked=asked_noun(text[:500]) if text else "",
                    ordinals=ordinals_of(text[:500]) if text else (),
                    spelled=spelled, alternatives=alternatives,
                    verbs=_verbs_of(analysed, terms, predicate_stem(text[:500]) if text else ("", "")),
                    asked_at=to_kst_iso(asked_at) or "" if asked_at else "",
                    intent=intent_of(text, kind), window=window_phrase(text),
                    item=item_of(text), retell=bool(_RETELL.search(text)), besides=besides)


# '카카오 말고 또', 'KT 외에 다른', '삼성 빼고': the word before is what is already known.
_BESIDES = re.compile(r"(\S+)\s(말고도?|말곤|외에도?|이외에도?|빼고|제외하고)(\s(?:또|다른|더))?(?=\s|$)")


def besides_of(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """The index terms of what '… 말고 또' sets aside, and the morphemes of the marker
    itself (말, 외, 또), which are no topic; ((), empty) when the question has none."""
    m = _BESIDES.search(text)
    if m is None:
        return (), frozenset()
    word = m.group(1)
    known = tuple(t.form.lower() for t in _tokens(word) if t.tag in morph.CONTENT_TAGS)
    marker = text[m.start(2):m.end()]
    return known, frozenset(f for f, _ in _analyse(marker))


def _verbs_of(analysed: tuple[tuple[str, str], ...], terms: list[str],
              last: tuple[str, str]) -> dict[str, str]:
    verbs = {form: tag for form, tag in analysed if tag in ("VV", "VA") and form in terms}
    if last[0] and last[0] in terms:
        verbs[last[0]] = last[1]
    return verbs


# What a question is after, by its wording, in the order the cues are tried: a comparison
# names two things; a window names a time; a reason asks 왜; a state asks what is so now.
_COMPARISON = re.compile(r"(?:랑|이랑|하고|와|과|vs\.?|VS)\s*\S+(?:\s\S+)?(?:\s중(?:에서|에)?|중에서|중에)\s|"
                         r"(?:랑|이랑|하고|와|과)\s.*각각|"
                         r"비교|누가 더|뭐가 더|어디가 더|어느 쪽이|어느 게 더|차이(?:가|는)? ?(?:얼마|나|있)")
# A word naming two things, asked of both ('네카오 대표 둘 다 누구야?').
PAIR_OF_BOTH = re.compile(rf"(?<![가-힣])({'|'.join(PAIRS)})(?:의|는|은)?\s(.*?)\s?(?:둘\s?다|각각|양측\s?(?:다|모두)?)")
_WINDOW = re.compile(
    r"오늘(?!날)|어제|그제|그저께|엊그제|이번\s?주|지난\s?주|이번\s?달|지난\s?달|이달|최근\s?\d+\s?일|"
    r"(?<![\d.])\d{1,2}월\s?(?:에|달|중|한 달)?\s?(?:나온|뜬|기사|뉴스|소식)|\d{4}년\s?(?:기사|뉴스|소식)")
# '어떻게 했어?' asks how (a means); '어떻게 돼?', '어떻게 구성돼?' ask what is, or of what.
_WHY = re.compile(r"왜(?![곡구소])|이유|어째서|까닭|배경이|배경은|어떻게\s?(?!됐|되|돼|진행|지내|구성|이뤄|나뉘|짜여)\S+")
_LIST = re.compile(r"뭐뭐|누구누구|어디어디|들\s?(?:뭐|누구|어디|어떤)|각각|구성돼|구성되|구성은|종류|목록|"
                   r"어떤 (?:것|기업|회사|곳|모델)들|몇 곳이고|씩이야|씩 ")
_STATE = re.compile(r"아직|지금(?!까지)|현재|여전히|결국|요즘은|최신 버전|남았|어디까지|바뀌었|달라졌|"
                    # '요즘 뭐 준비 중이야?': what it is doing now, named, not a list of news
                    r"(?:뭐|무엇|무슨|어떤)\s?\S*\s(?:준비|개발|추진|검토|협상|논의|만드는)\s?중")
_LATEST = re.compile(r"요즘|요새(?![는은이가를을의])|최신|최근|근황|(?:새|새로운|최근|최신|무슨|어떤)\s?소식|"
                     r"소식\s?(?:좀|있|알려|뭐)|새로 (?:나온|공개)|뭐 하고 있"
                     # a question that is just a subject and 소식: '카카오 소식?', '외교부 소식은'
                     r"|소식(?:은|는|이요|요)?\s*[?？!.~]*\s*$")


# A yes/no question about whether something has happened ('국회 통과했어?', '후속 모델
# 나왔어?', '도입한 곳 생겼어?'), as opposed to one asking which, what or how.
_YES_NO = re.compile(r"(?:었|았|였|됐|했|왔|겼|렸|났|졌)(?:어|나|니|대|지)\s?\??\s*$")
_ASKS_WHICH = re.compile(r"뭐|무엇|무슨|어떤|어떻|왜|누구|누가|어디|언제|몇|얼마|어느")


def intent_of(text: str, kind: str) -> str:
    """What kind of question `text` is (see Question.intent); `kind`: its value kind."""
    if _COMPARISON.search(text) or PAIR_OF_BOTH.search(text):
        return "comparison"
    if _WINDOW.search(text):
        return "window"
    if kind == "other" and _WHY.search(text):
        # ('…을 이유로 질책한 인물은?' asks a person, whatever the reason said of them.)
        return "why"
    if _LIST.search(text):
        return "list"
    if _STATE.search(text):
        return "state"
    if _LATEST.search(text):
        # '최근 투자 유치 얼마 했어?' asks a value: the newest article's, not a list.
        return "state" if kind != "other" else "latest"
    if "어떻게 됐" in text or (kind == "other" and _YES_NO.search(text)
                              and not _ASKS_WHICH.search(text)):
        return "state"  # '…통과했어?', '…나왔어?': whether it has happened, by now
    return "fact"


_ITEM = re.compile(r"#\s?(\d{1,2})\b|(?<!\d)(\d{1,2})\s?번(?:째)?(?!\s?(?:씩|이나|정도))|"
                   r"(첫|두|세|네|다섯|여섯|일곱|여덟|아홉|열)\s?번째|(첫째|둘째|셋째|넷째|다섯째)")
_ORDINAL_WORDS = {"첫": 1, "두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8,
                  "아홉": 9, "열": 10, "첫째": 1, "둘째": 2, "셋째": 3, "넷째": 4, "다섯째": 5}
# Asking for an article to be told: '이거 요약해줘', '2번 자세히', '무슨 내용이야?'.
_RETELL = re.compile(r"요약|자세히|자세한|더 알려|무슨 내용|내용 알려|정리해|읽어|풀어")


def item_of(text: str) -> int:
    """The list item a reply refers to ('2번 요약해줘' -> 2), 0 when none."""
    m = _ITEM.search(text)
    if not m:
        return 0
    digits = m.group(1) or m.group(2)
    return int(digits) if digits else _ORDINAL_WORDS.get(m.group(3) or m.group(4), 0)


def window_phrase(text: str) -> str:
    """The time a question names as written ('오늘', '지난주', '8월'), '' when none."""
    found = _WINDOW.search(text)
    return found.group().strip() if found else ""


def shorthand_in(spelled: tuple[SpelledWord, ...]) -> dict[str, tuple[str, ...]]:
    """The question's words that are news shorthand, as the term each one is looked for by
    (the word as spelled, without its particle), with the names it stands for."""
    found: dict[str, tuple[str, ...]] = {}
    for i, word in enumerate(spelled):
        following = spelled[i + 1].forms[-1] if i + 1 < len(spelled) else ""
        for form in word.forms:
            names = full_names(form, following)
            if names:
                found[form] = names
                break
    return found


def _with_shorthand(analysed: tuple[tuple[str, str], ...], spelled: tuple[SpelledWord, ...],
                    alternatives: dict[str, tuple[str, ...]]) -> tuple[tuple[str, str], ...]:
    """The analysis with each shorthand word as one name: '삼전' (read as 삼 + 전) is 삼전."""
    if not alternatives:
        return analysed
    pieces: dict[str, str] = {}  # a one-syllable piece of a shorthand word -> the word
    for word in spelled:
        form = next((f for f in word.forms if f in alternatives), None)
        if form is not None and form not in word.terms:
            for piece in word.terms:
                pieces.setdefault(piece, form)
    out: list[tuple[str, str]] = []
    for form, tag in analysed:
        if form in pieces:
            whole = pieces.pop(form)
            if not any(f == whole for f, _ in out):
                out.append((whole, "NNP"))
            continue
        out.append((form, tag))
    return tuple(out)


_COMPOUND_TAGS = frozenset({"NNG", "NNP", "SL", "SH", "XR"})
_KEYWORD_TAGS = _COMPOUND_TAGS | {"SN", "NR", "NNB"}
_NOT_PLAIN = re.compile(r"[^\w.,·\- ]+")


@lru_cache(maxsize=2048)
def written_words(text: str) -> tuple[WrittenWord, ...]:
    """The question's words that name something (not question words), in order."""
    text = morph.nfc(text or "").strip()[:500]
    words: list[list[morph.Token]] = []
    previous_end = -1
    for t in _tokens(text):
        if not words or text[previous_end:t.start].strip() != text[previous_end:t.start]:
            words.append([])  # whitespace before it: a new word
        previous_end = t.end
        words[-1].append(t)
    found: list[WrittenWord] = []
    for word in words:
        nouns = [t for t in word
                 if t.tag in _KEYWORD_TAGS and t.form.lower() not in QUESTION_WORDS]
        if not nouns or (len(nouns) == 1 and nouns[0].tag == "NNB"):  # '개' of '몇 개야'
            continue
        # From the word's start (a prefix such as 신 of 신약 included) to its last noun,
        # leaving out a question word before it ('어느공항' -> 공항).
        first = next(t for t in word if t.form.lower() not in QUESTION_WORDS)
        written = text[min(first.start, nouns[0].start):nouns[-1].end]
        # With markup or quotes inside, its longest plain piece ('<b>삼성</b>' -> 삼성).
        surface = max(_NOT_PLAIN.split(written), key=len)
        if surface:
            found.append(WrittenWord(surface, tuple(t.form.lower() for t in nouns)))
    return tuple(found)


def search_keywords(text: str, limit: int = 4) -> list[str]:
    """The question's words as its asker wrote them, for a /search to suggest
    ('LG에너지솔루션 공장 위치는?' -> LG에너지솔루션, 공장, 위치)."""
    return keywords_of(written_words(text), limit)


def keywords_of(written: tuple[WrittenWord, ...], limit: int) -> list[str]:
    return list(dict.fromkeys(w.surface for w in written))[:limit]


@lru_cache(maxsize=2048)
def compound_nouns(text: str) -> tuple[tuple[str, ...], ...]:
    """Runs of two or more nouns written with no space between them, as index terms."""
    runs: list[list[morph.Token]] = []
    for t in _tokens(text):
        if t.tag not in _COMPOUND_TAGS or t.form.lower() in QUESTION_WORDS:
            runs.append([])
        elif runs and runs[-1] and runs[-1][-1].end == t.start:
            runs[-1].append(t)
        else:
            runs.append([t])
    return tuple(tuple(t.form.lower() for t in run) for run in runs if len(run) >= 2)


@lru_cache(maxsize=2048)
def predicate_forms(text: str) -> tuple[str, ...]:
    """How the question's last predicate may be written: a verbal noun or root as it is
    (폭로, 입대 of 폭로한, 입대했나; 우승 of 우승을 한), a verb or adjective stem in its
    inflected forms (오르 -> 오른, 올랐, 올라...); () when it has none but 하다/되다/있다."""
    form, tag = predicate_stem(text)
    if not form:
        return ()
    return morph.verb_forms(form, tag) if tag in ("VV", "VA") else (form,)


@lru_cache(maxsize=2048)
def predicate_stem(text: str) -> tuple[str, str]:
    """The (form, tag) of the question's last predicate: a verb or adjective stem, or a
    verbal noun made a verb by 하다/되다, with or without 을/를 between ('우승을 하게 된')."""
    toks = _tokens(text)
    found = ("", "")
    for i, t in enumerate(toks):
        after = toks[i + 1] if i + 1 < len(toks) else None
        if t.form == "하" and t.tag == "VV" and i >= 2 and toks[i - 1].tag == "JKO" \
                and toks[i - 2].tag == "NNG" and toks[i - 2].form not in QUESTION_WORDS:
            found = (toks[i - 2].form.lower(), "NNG")
        elif t.form.lower() in QUESTION_WORDS:
            continue
        elif t.tag in ("VV", "VA"):
            found = (t.form, t.tag)
        elif t.tag in ("NNG", "XR") and after is not None and after.tag in ("XSV", "XSA"):
            found = (t.form.lower(), t.tag)
    return found


# The morphemes that ask (몇, 얼마, 언제 ...); the noun they ask about stands before them.
_ASKING = frozenset({"몇", "얼마", "얼마나", "언제", "누구", "누가", "어디", "무슨", "뭐", "무엇",
                     "어느", "며칠", "뭘", "어떤"})
# Nouns that stand near the question word without anchoring what is asked: they say how
# roughly or stand for the answer itself ('결국 몇 명', '날짜는 언제', '이름이 뭐야').
NOT_ANCHORS = frozenset(
    "결국 과연 대체 도대체 지금 현재 최근 요즘 이번 총 모두 전부 대략 약 쯤 정도 처음 정확 대충 가장 "
    "최대 최고 최소 최저 "
    "날짜 날 시기 때 이름 곳 장소 사람 인물 것 거 데 수 년도 연도 해 시점 당시 각각 실제 "
    "직후 이후 이전 전 후 중 동안 쪽 측 관련 "
    # Measures of what is asked ('투자 규모는 얼마', '지원 금액은'): the noun before them is it.
    "규모 금액 액수 수준 수치 숫자 크기 양 "
    # Words for whoever did it ('우승한 선수는 누구', '…한 당사자는'): the deed anchors, not them.
    "선수 주인공 당사자 인사 분 자".split()
)


@lru_cache(maxsize=2048)
def asked_noun(text: str) -> str:
    """The noun the question word asks about: the nearest common noun before it, else the
    first one after it ('몇 번째 서울 방문이야' -> 방문)."""
    toks = _tokens(text)
    at = next((i for i, t in enumerate(toks) if t.form in _ASKING), None)
    if at is None:
        return ""

    def anchor(t: morph.Token) -> bool:
        return t.tag == "NNG" and len(t.form) > 1 and t.form not in NOT_ANCHORS

    # '…에 넣은 NPU 이름 뭐야?': what is named is the word right before 이름, whatever it is.
    named = next((i for i, t in enumerate(toks[:at]) if t.form in ("이름", "명칭")), None)
    if named and toks[named - 1].tag in ("NNG", "NNP", "SL") and len(toks[named - 1].form) > 1:
        return toks[named - 1].form.lower()

    # '몇 명의 선수들이': the noun the counted phrase modifies is what is counted.
    if (at + 3 < len(toks) and toks[at + 2].tag == "JKG" and anchor(toks[at + 3])):
        return toks[at + 3].form.lower()
    before = [t for t in toks[:at] if anchor(t)]
    if before:
        return before[-1].form.lower()
    after = next((t for t in toks[at + 1:] if anchor(t)), None)
    return after.form.lower() if after else ""


# Particles and copulas a word of a chat question may end with, longest first.
_WORD_ENDINGS = ("이에요", "이야", "이랑", "한테", "에게", "에서", "으로", "하고", "예요", "랑", "야",
                 "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만")
_WORD = re.compile(r"[0-9A-Za-z가-힣\u4e00-\u9fff]+")  # Hanja too: 尹, 與


@lru_cache(maxsize=2048)
def spelled_words(text: str) -> tuple[SpelledWord, ...]:
    """Each word of `text` with its spellings without an ending and its index terms."""
    toks = _tokens(text)
    found = []
    for m in _WORD.finditer(text):
        word = m.group()
        forms = [word] + [word[:-len(e)] for e in _WORD_ENDINGS
                          if word.endswith(e) and len(word) - len(e) >= 1]
        inside = [t for t in toks if m.start() <= t.start < m.end()
                  and t.tag in morph.CONTENT_TAGS and t.form.strip()]
        terms = tuple(t.form.lower() for t in inside)
        nouns = any(t.tag not in ("VV", "VA", "MAG", "MM") for t in inside)
        found.append(SpelledWord(tuple(f.lower() for f in dict.fromkeys(forms)), terms, nouns))
    return tuple(found)


_ORDINAL = re.compile(r"제?\s*\d+\s*(?:차|번째|회차|회|기|대)(?![가-힣])")


@lru_cache(maxsize=2048)
def ordinals_of(text: str) -> tuple[str, ...]:
    """'3차', '제8차', '4회' as written in the question, spaces removed (not '몇 회')."""
    return tuple(dict.fromkeys(re.sub(r"\s+", "", m.group()) for m in _ORDINAL.finditer(text)))


def holds_predicate(question: Question, text: str) -> bool:
    """Whether `text` says what the question says happened (one of its predicate's forms)."""
    return any(form in text for form in question.predicate)


def answer_types(kind: str, analysed: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """What kind of named thing answers: from the question word, else the last noun asked
    about; () when the question does not say (무엇/어떤 questions)."""
    if kind in KIND_TYPES:
        return KIND_TYPES[kind]
    nouns = [form for form, tag in analysed if tag in NOUN_TAGS]
    return HEAD_TYPES.get(nouns[-1], ()) if nouns else ()


MONEY_UNITS = frozenset({"원", "달러", "엔", "유로", "위안", "파운드"}
                        | {f"{c}{sep}달러" for c in DOLLAR_COUNTRIES for sep in ("", " ")})
# What a measured noun is counted in ('용량은?' wants bytes, not a percentage).
MEASURE_UNITS = {
    "용량": frozenset({"GB", "TB", "MB", "기가바이트", "테라바이트", "mAh"}),
    "매개변수": frozenset({"개"}),
    # A model's or a chip's size: parameters or bytes, not a share or a count of kinds.
    "크기": frozenset({"개", "B", "GB", "TB", "MB"}),
    "파라미터": frozenset({"개"}),
    # A day is not a decade: '날짜는?' wants a day or a month, '년도는?' a year.
    "날짜": frozenset({"일", "월"}),
    "년도": frozenset({"년"}),
    "연도": frozenset({"년"}),
}
_MONEY_WORDS = re.compile(r"예산|금액|투자|매출|가격|비용|자금|몸값|기업가치|액수|벌금|성금|돈")
# 얼마 asks for money, unless what it asks about is measured otherwise ('기록은 얼마였어',
# '여유 공간이 얼마', '넣은 골은 얼마'); 얼마나 asks for any amount ('비 얼마나 왔어').
_HOW_MUCH = re.compile(r"얼마(?!나)")
_NOT_MONEY = re.compile(
    r"기록|공간|용량|길이|거리|높이|깊이|넓이|면적|무게|속도|시간|기간|득표|투표|표를|골|점수|"
    r"화소|인원|인구|온도|기온|강수|비율|율은|률은|수는|수가|"
    r"동안|만에|만이|오래|걸렸|걸려|걸리")  # '얼마 동안 만났어?' asks a time
_COUNTER = re.compile(r"몇\s*([가-힣]+|[A-Za-z]+|%)")
# '몇이야', '몇인가': 몇 with a copula asks for a number in no particular unit.
_COPULA = re.compile(r"^(?:이|인|입|일까|이었|였)")
# What '몇 X' is counted in, longest first ('개월' before '개'); '몇 번째 시도' is not 5명.
_COUNTERS: tuple[tuple[str, frozenset[str]], ...] = tuple(
    (word, frozenset(units.split()))
    for word, units in (
        ("개월", "개월"), ("개국", "개국"), ("개사", "개사"), ("시간", "시간"), ("세기", "세기"),
        ("퍼센트", "% 퍼센트"),
        ("차례", "차례 번 회"), ("번째", "번째"), ("회째", "회째 회차"), ("가지", "가지"), ("명", "명"), ("개", "개"), ("장", "장"),
        ("곳", "곳"), ("종", "종"), ("팀", "팀"), ("건", "건"), ("대", "대"), ("배", "배"),
        ("번", "번 차례 회"), ("위", "위"), ("회", "회 번 차례"), ("살", "살 세"), ("세", "세 살"),
        ("층", "층"), ("권", "권"), ("편", "편"), ("골", "골"), ("승", "승"), ("석", "석"),
        ("마리", "마리"), ("%", "%"), ("년", "년"), ("달", "개월 달"), ("주", "주"), ("분", "분"),
        ("초", "초"), ("일", "일"),
    )
)


def expected_units(question_text: str) -> frozenset[str]:
    """The units an answer may be in: '몇 장' wants 장, '예산은' wants money; empty: any."""
    counter = _COUNTER.search(question_text)
    if counter and not _COPULA.match(counter.group(1)):
        if re.search(r"몇\s*년\s*몇\s*(?:개월|달)", question_text):
            return frozenset({"년"})  # '몇 년 몇 개월 만': 1년 5개월
        word = counter.group(1)
        for unit, units in _COUNTERS:
            if word.startswith(unit):
                return units
        if word.isascii():  # '몇 mAh', '몇 mm'
            return frozenset({word})
        # Another counter ('몇 등으로', '몇 학년에'): the answer is counted in it, so a value in
        # another unit ('8명') does not answer.
        return frozenset(word[:n] for n in range(1, len(word) + 1))
    if _MONEY_WORDS.search(question_text) or (
            _HOW_MUCH.search(question_text) and not _NOT_MONEY.search(question_text)):
        return MONEY_UNITS
    for word, units in MEASURE_UNITS.items():
        if word in question_text:
            return units
    return frozenset()


def asked_particle(question_text: str) -> str:
    """'부터' or '까지' when the question asks from or until when ('언제부터 공급해?'), '로'
    when it asks what date something is put at ('날짜가 언제로 돼 있어?')."""
    found = next((p for p in ("부터", "까지") if p in question_text), "")
    return found or ("로" if "언제로" in question_text else "")


# A name and the version number written after it ('코GPT 2.0', '엑사원 3.0'); a digit
# glued into a name ('HBM3E') is part of the name, not a version.
_NAMED_VERSION = re.compile(r"(\S+)\s+(\d+(?:\.\d+)+|\d+(?=\s|$))")


# A letter glued to a Hangul word names one of a series: 시리즈C (not 시리즈B), 플랜B.
_GLUED_VERSION = re.compile(r"(?<![가-힣A-Za-z0-9])([가-힣]{2,})([A-Z][0-9]{0,2})(?![A-Za-z0-9])")


def named_versions(text: str) -> tuple[tuple[str, str], ...]:
    """('코GPT', '2.0') for '코GPT 2.0 매개변수는?', ('시리즈', 'C') for '시리즈C는?': a name
    and the version written after it."""
    return tuple((m.group(1), m.group(2)) for pattern in (_NAMED_VERSION, _GLUED_VERSION)
                 for m in pattern.finditer(text))
