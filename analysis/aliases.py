"""Korean news shorthand and what it stands for: the names a chat types (국힘, 과기부, 尹,
네카오, 삼전) for the names articles write (국민의힘, 과학기술정보통신부, 윤석열, 네이버 ·
카카오, 삼성전자).

This table is the project's own, kept small and common: government bodies, parties,
companies and the one-character Hanja of headlines. Articles define many more themselves
('과학기술정보통신부(과기정통부)'); those are found at ingest (analysis.abbreviations) and
kept in the store. A shorthand is matched as a whole word of the question (its particle
aside), never inside another word, so 한은 is not found in 한은행.

Some shorthand is tied to its time: 與 is the ruling party, 尹 the president of 2022-25.
The table names every party a shorthand has stood for; the question's other words pick
the article.
"""

from __future__ import annotations

SHORTHAND: dict[str, tuple[str, ...]] = {
    # Presidents, party leaders and the one-character Hanja of headlines.
    "尹": ("윤석열",), "文": ("문재인",), "李": ("이재명",), "朴": ("박근혜",),
    "與": ("여당", "국민의힘", "더불어민주당"), "野": ("야당", "더불어민주당", "국민의힘"),
    "北": ("북한",), "南": ("남한",), "美": ("미국",), "中": ("중국",), "日": ("일본",),
    "韓": ("한국",), "英": ("영국",), "佛": ("프랑스",), "獨": ("독일",), "露": ("러시아",),
    "靑": ("청와대",), "檢": ("검찰",), "軍": ("군",), "黨": ("당",), "政": ("정부",),
    # Parties.
    "국힘": ("국민의힘",), "민주당": ("더불어민주당",), "더민주": ("더불어민주당",),
    "한국당": ("자유한국당",),
    # Government and public bodies.
    "과기부": ("과학기술정보통신부", "과기정통부"), "과기정통부": ("과학기술정보통신부",),
    "기재부": ("기획재정부",), "산업부": ("산업통상자원부",), "국토부": ("국토교통부",),
    "행안부": ("행정안전부",), "복지부": ("보건복지부",), "고용부": ("고용노동부",),
    "문체부": ("문화체육관광부",), "해수부": ("해양수산부",), "농식품부": ("농림축산식품부",),
    "중기부": ("중소벤처기업부",), "여가부": ("여성가족부",),
    "금융위": ("금융위원회",), "금감원": ("금융감독원",), "공정위": ("공정거래위원회",),
    "방통위": ("방송통신위원회",), "선관위": ("선거관리위원회", "중앙선거관리위원회"),
    "국정원": ("국가정보원",), "합참": ("합동참모본부",), "헌재": ("헌법재판소",),
    "대법": ("대법원",), "중앙지검": ("서울중앙지검", "서울중앙지방검찰청"),
    "한은": ("한국은행",), "금통위": ("금융통화위원회",), "전경련": ("전국경제인연합회",),
    "대한상의": ("대한상공회의소",), "경총": ("한국경영자총협회",), "민노총": ("민주노총",),
    "과방위": ("과학기술정보방송통신위원회",), "법사위": ("법제사법위원회",),
    "국토위": ("국토교통위원회",), "외통위": ("외교통일위원회",), "기재위": ("기획재정위원회",),
    "정무위": ("정무위원회",), "국방위": ("국방위원회",), "행안위": ("행정안전위원회",),
    "인천공항": ("인천국제공항",), "코레일": ("한국철도공사",), "한전": ("한국전력",),
    "LH": ("한국토지주택공사",), "건보": ("국민건강보험", "건강보험"),
    # Companies and services.
    "네카오": ("네이버", "카카오"), "엘지": ("LG",), "삼전": ("삼성전자",), "삼성": ("삼성전자",),
    "하이닉스": ("SK하이닉스",), "하닉": ("SK하이닉스",), "카톡": ("카카오톡",), "현차": ("현대자동차", "현대차"),
    "현대차": ("현대자동차",), "기아차": ("기아",), "엔솔": ("LG에너지솔루션",),
    "SKT": ("SK텔레콤",), "포스코": ("포스코홀딩스",),
    "배민": ("배달의민족",), "당근": ("당근마켓",), "토스": ("비바리퍼블리카",),
    "하클": ("하이퍼클로바",), "하클X": ("하이퍼클로바X",), "챗지피티": ("챗GPT",),
    "AI연": ("AI연구원",), "국대": ("국가대표",), "국대AI": ("국가대표 AI",),
    # Words of the trade said two ways.
    "파라미터": ("매개변수",), "매개변수": ("파라미터",), "몸값": ("기업가치",),
    "스타트업": ("새싹기업",), "엔비디아": ("NVIDIA",),
    # Places people shorten.
    "우크라": ("우크라이나",), "러": ("러시아",), "사우디": ("사우디아라비아",),
    "남아공": ("남아프리카공화국",), "인니": ("인도네시아",),
}

# Two words that name one person in the news of their time ('윤 대통령'): the first word
# stands for the full name when the second follows it.
TITLED: dict[tuple[str, str], tuple[str, ...]] = {
    ("윤", "대통령"): ("윤석열",), ("문", "대통령"): ("문재인",), ("이", "대통령"): ("이재명",),
    ("박", "대통령"): ("박근혜",), ("윤", "전"): ("윤석열",), ("이", "대표"): ("이재명",),
}

# Words that name two things at once ('네카오 대표 둘 다 누구야?', '여야 원내대표 각각'): asked
# of both, each is a side of its own. Unlike SHORTHAND's 與 (one of two parties), both are meant.
PAIRS: dict[str, tuple[str, str]] = {
    "네카오": ("네이버", "카카오"), "여야": ("여당", "야당"), "남북": ("남한", "북한"),
    "한일": ("한국", "일본"), "한미": ("한국", "미국"), "한중": ("한국", "중국"),
    "미중": ("미국", "중국"), "북미": ("북한", "미국"),
}


def full_names(word: str, next_word: str = "") -> tuple[str, ...]:
    """The names a whole word of a question may stand for ('' words stand for none)."""
    found = SHORTHAND.get(word) or SHORTHAND.get(word.upper()) or ()
    titled = TITLED.get((word, next_word), ())
    return tuple(dict.fromkeys(f for f in found + titled if f != word))
