"""Values of the kinds a question can ask for (언제 -> a date, 몇/얼마 -> an amount),
recognised on the surface of a sentence: numbers with their units, dates and times."""

from __future__ import annotations

import re

from analysis import morph

_NUM = r"\d[\d,.]*"
_UNITS = (
    "원 달러 엔 유로 위안 파운드 개 명 종 팀 곳 건 장 % 퍼센트 배 대 위 년 km ㎞ m mm cm mAh 톤 kg "
    "세 살 회 번 차례 권 편 척 마리 가지 주 개월 시간 분 초 층 석 표 점 골 경기 승 패 미터 킬로미터 "
    "헥타르 평 호 부 채 그루 병 인 가구 개국 개사 세대 학년 득점 타수 GB TB MB 기가바이트 테라바이트 "
    "nm 나노 W 와트 kW MW GW 화소 밀리미터 센티미터 킬로그램 그램 리터 번째 회째 회차 차"
).split()
# '…지만 ' ends a clause; the 만 of a number ('100만 달러', '5천만 명') does not.
NOT_A_NUMBER_MAN = r"(?<=[가-힣]만)(?<![십백천억조]만)"
DOLLAR_COUNTRIES = ("미국", "캐나다", "호주", "홍콩", "싱가포르", "대만", "뉴질랜드")
KIND_PATTERNS = {
    # Longest units first, so '3개월' is 3개월 and not 3개 glued to more of a word.
    "amount": re.compile(
        # A duration in two units ('1년 5개월', '1시간 40분') is one value.
        r"\d+\s*(?:년|시간|분)\s*\d+\s*(?:개월|분|초)|"
        # A number in parts ('3억7239만2496원', '5천억 원', '1조5000억원'), and 여 (some
        # more than) before its unit ('700여명', '490여 명').
        + _NUM + r"\s*(?:[조억만천백]{1,2}\s*)?(?:" + _NUM + r"\s*(?:[억만천]{1,2}\s*)?){0,2}(?:여\s?)?"
        r"(?:(?:" + "|".join(DOLLAR_COUNTRIES) + r")\s*달러|"
        + "|".join(map(re.escape, sorted(_UNITS, key=len, reverse=True))) + ")"
        r"|[일이삼사오육칠팔구십백천만]+\s*(?:명|개|가지|차례|번|곳|권|편)"
        # Native numerals with a counter ('네 번째', '두 명', '세 곳').
        r"|(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열|스무)\s?"
        r"(?:번째|번|차례|명|개|곳|가지|척|대|마리|권|편)"
    ),
    "date": re.compile(
        r"\d{2,4}\s*년대|\d{1,4}\s*년|\d{1,2}\s*월|\d{1,2}\s*일|\d{1,2}\s*세기|상반기|하반기|올해|"
        r"지난해|내년|이날|분기|[초중말]기|시대|[가-힣]+\s*왕조|(?<![가-힣\d])[\d가-힣]+\s*때(?!문)|"
        r"작년|전날|당시|"
        r"(?:이달|이번\s?달|다음\s?달|내달|지난\s?달)(?:\s*(?:초|중순|말))?|연말|연초"
    ),
}


_YEAR = re.compile(r"(?:1[5-9]|20)\d\d\s*년")
_ONCE = re.compile(r"한\s?(?:번|차례)")
# A value may be followed by a particle or a copula ending (200억개다, 300억개였다), not by
# more of a word; '15회차', '4번째', '1만8750톤급' are the value with a suffix of rank or class,
# '25분간' with one of duration, '35회나' with 나 (as many as), '벌금 300만원형' with 형.
_VALUE_END = re.compile(r"(?![가-힣A-Za-z])|(?=[은는이가을를의에으로와과도만까씩다였라며인급째차간나형])")


def kind_values(text: str, kind: str, question_text: str) -> list[re.Match[str]]:
    """Values of `kind` in `text` that the question does not already state.

    A year is a date, not an amount; a unit glued to more Hangul ('5부터') is no unit.
    """
    pattern = KIND_PATTERNS.get(kind)
    if pattern is None:
        return []
    asked = question_text.replace(" ", "")
    found = []
    for m in pattern.finditer(text):
        value = m.group().strip()
        if value.replace(" ", "") in asked:
            continue
        if kind == "amount" and _YEAR.fullmatch(value):
            continue
        if kind == "date" and _DURATION.match(value) and _DURATION_AFTER.match(text, m.end()) \
                and not _ASKS_LENGTH.search(question_text):
            continue  # '약 3년 만에', '2년간', '10년 동안': how long, not when
        since = _SINCE.match(text, m.end()) if kind == "date" else None
        if since and not _ASKS_SINCE.search(question_text) and not _ASKS_LENGTH.search(question_text) \
                and not set(morph.index_terms_of(since.group())) & set(morph.index_terms_of(question_text)):
            # '2021년 첫 모델을 선보인 이후 약 3년 만에 나온': the time it counts from, unless
            # what happened then is what is asked ('2026년 1월 시행 이후' of '언제 시행돼?').
            continue
        if kind == "amount" and not _VALUE_END.match(text, m.end()):
            continue
        if kind == "amount" and _ONCE.fullmatch(value) and text.startswith(("에", "도"), m.end()):
            continue  # '한 번에 처리할 수 있는' (at once), '한 번도' (never): no count
        found.append(m)
    return found


# A count of years, months or days ('3년', '6개월', '10일') said as a length of time.
_DURATION = re.compile(r"^\d{1,2}\s*(?:년|개월|달|주|일)$")
# A time a sentence counts from: '2021년 첫 모델을 선보인 이후', '2019년 이래'.
_SINCE = re.compile(r"[^.,!?]{0,20}?(?:이후|이래)")
_ASKS_SINCE = re.compile(r"이후|이래로|처음|최초|첫|부터")  # not '이래?' (what they say)
_ASKS_LENGTH = re.compile(r"몇\s*(?:년|개월|달|주|일)|만에|만이|만인|동안|얼마나|기간")
# ...followed by what makes it one; 간 and 내 only as words of their own ('7일 간담회',
# '7일 내놓은' are dates).
_DURATION_AFTER = re.compile(
    r"\s*(?:만에|만이|만의|동안|째|여간|가량|넘게|이내|(?:간|내|이상)(?:[에의은는도]|(?![가-힣])))")


# How a sentence gives a reason or a means (왜 / 어떻게 questions): '…때문이다', '…위해',
# '…이유로', '…에 따라', '…로 인해', '…로 풀이된다', '…을 겨냥한', '…을 통해'.
REASON = re.compile(
    r"때문|위해|위한|위함|이유|목적|취지|배경|전략|풀이|분석|해석|노린|노려|겨냥|차원|계산|덕분|"
    r"영향|(?:에|에게) 따라|맞춰|맞게|탓|(?:으로|로) 인해|의도|포석|사유|원인|(?:을|를) 통해|"
    r"방식|방법|바탕으로|기반으로|내세워|앞세워|꼽았다|꼽는다|일환|목표는|기대하고|의미가|의미를|"
    r"의지로|라며|다며|면서|(?:에|데) 따른|우려|판단|고려|(?:려는|하려는|하기 위한) |셈이다"
)


# The cues that say outright why or what for ('…기 위해', '…때문이다', '목표는 …',
# '…을 기대하고 있다', '…인 만큼', '…할 수 있도록', '…다면서'); the others above often only describe how a
# thing is or came about ('규모에 따라', '영상 메시지를 통해', '공개 전략으로').
STRONG_REASON = re.compile(
    r"때문|위해|위한|위함|이유|목적|취지|목표는|의도|포석|노린|노려|겨냥|덕분|탓(?:에|이|으로)|원인|"
    r"사유|(?:으로|로) 인해|기대하고|기대한다|의미를 뒀|의미를 두|(?:인|는|은) 만큼|수 있도록|맞춰|"
    r"영향을 미|꼽혀|꼽힌|풀이된다|(?:려는|하려는|하기 위한) |"
    r"(?:다|라)(?:면서|며)\s|"  # '…이 몰리고 있다면서 1대만 허가했다': the reason its subject gave
    r"(?:^|(?<=[.!?…] ))이는 [^.]*(?:일이다|결과다)"  # 'A. 이는 B하면서 일어난 일이다'
)
# '이에 따라 …', '이로 인해 …' tell what followed from a fact, not why it happened.
_CONSEQUENCE = re.compile(r"(?<![가-힣])(?:이|그)(?:에 따라|로 인해|로써| 때문에)|그 결과")


def gives_reason(text: str) -> bool:
    return REASON.search(text) is not None


def reason_strength(text: str) -> int:
    """2 when `text` says outright why or what for, 1 when it only may (a weaker cue),
    0 when it gives no reason at all."""
    text = _CONSEQUENCE.sub(" ", text)
    if STRONG_REASON.search(text):
        return 2
    return 1 if gives_reason(text) else 0


# A sentence that lists things: three or more items set apart by commas or middle dots
# ('경량, 베이직, 스탠다드, 엑스퍼트 등'), or two joined and closed by 등.
_ITEMS = re.compile(r"[^,·、]+(?:[,·、]\s?[^,·、]+){2,}|\S+(?:와|과|및)\s\S+\s?등")


def lists_items(text: str) -> bool:
    return _ITEMS.search(text) is not None
