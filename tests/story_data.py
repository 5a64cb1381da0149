"""Made-up news for the story tests: one event written up by several outlets, a 속보 and its
종합, the next day's follow-up, an opinion column and a photo caption.

The city, the outlets, the people and every sentence were written for these tests. Times are
offsets from a base moment, so the alert tests can place the articles near now.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ingest.article_input import ArticleInput

KST = timezone(timedelta(hours=9))
BASE = datetime(2025, 6, 10, 9, 0, tzinfo=KST)

# (key, publisher, minutes after the base, title, body)
ARTICLES: list[tuple[str, str, int, str, str]] = [
    # A wire story and three rewrites by other outlets, the same morning.
    ("cup-wire", "한들통신", 2, "한들시의회, 일회용 컵 보증금 조례 통과…내년 1월 시행",
     "(한들=한들통신) 김가람 기자 = 한들시의회가 10일 본회의를 열어 일회용 컵 보증금 조례안을 "
     "가결했다.\n조례에 따라 내년 1월 1일부터 시내 카페와 패스트푸드점은 음료를 일회용 컵에 "
     "담아 팔 때 보증금 300원을 받는다.\n표결에는 의원 25명이 참여해 찬성 21명, 반대 4명으로 "
     "조례안이 통과됐다.\n컵을 매장에 돌려주면 보증금을 그대로 돌려받을 수 있다.\n시는 연말까지 "
     "반납 기계 150대를 설치할 계획이다."),
    ("cup-garam", "가람일보", 40, "일회용 컵 쓰면 300원 더…한들시, 컵 보증금제 내년 도입",
     "한들시에서 내년부터 일회용 컵에 음료를 받으면 보증금 300원을 더 내야 한다.\n"
     "한들시의회는 10일 본회의에서 일회용 컵 보증금 조례안을 찬성 21명, 반대 4명으로 가결했다.\n"
     "보증금은 다 쓴 컵을 돌려주면 다시 받는다.\n시는 올해 안에 반납 기계 150대를 곳곳에 둘 "
     "방침이다.\n조례는 내년 1월 1일 시행된다."),
    ("cup-nuri", "누리방송", 75, "한들시 컵 보증금 조례 가결…카페 음료 컵에 300원",
     "한들시의회가 오늘(10일) 일회용 컵 보증금 조례안을 통과시켰습니다.\n내년 1월부터 한들시 "
     "카페와 패스트푸드점에서는 일회용 컵 하나에 보증금 300원이 붙습니다.\n의원 25명 가운데 "
     "21명이 찬성했습니다.\n컵을 돌려주면 보증금은 돌려받습니다."),
    ("cup-dasom", "다솜경제", 150, "[종합] 한들시, 일회용 컵 보증금 300원…반납기 150대 설치",
     "한들시의회가 일회용 컵 보증금 조례를 10일 통과시키면서 내년 1월 1일부터 시내 매장의 "
     "일회용 컵에 300원의 보증금이 붙는다.\n조례안은 찬성 21명, 반대 4명으로 가결됐다.\n"
     "시는 연말까지 반납 기계 150대를 설치하고 매장마다 안내문을 붙일 예정이다.\n"
     "일부 카페 업주들은 손님이 줄어들까 걱정된다는 반응을 보였다."),
    # The same city and morning, another event.
    ("heat-shelter", "한들통신", 90, "한들시, 폭염 대비 무더위 쉼터 80곳 운영",
     "(한들=한들통신) 박소리 기자 = 한들시가 다음 달부터 경로당과 주민센터 80곳을 무더위 "
     "쉼터로 운영한다고 10일 밝혔다.\n쉼터에는 냉방기와 생수가 마련되고 밤 9시까지 문을 연다.\n"
     "시는 홀로 사는 노인 2천여명에게 안부 전화도 건다."),
    # An opinion column on the same event, the same evening.
    ("cup-column", "가람일보", 540, "[기자수첩] 컵 보증금, 반납이 쉬워야 성공한다",
     "한들시의회가 일회용 컵 보증금 조례를 통과시켰다.\n취지에는 공감하지만 컵을 돌려줄 곳이 "
     "마땅치 않으면 300원은 그냥 사라지는 돈이 된다.\n반납 기계 150대가 충분한지 시는 다시 따져 "
     "봐야 한다.\n시민이 불편을 느끼는 순간 제도는 외면받는다."),
    # The next day: the same topic with new facts, a story of its own.
    ("cup-nextday", "다솜경제", 1440 + 120, "한들시 컵 보증금제에 편의점 업계 \"시행 6개월 늦춰 달라\"",
     "한들시 편의점 가맹점주 협의회가 11일 일회용 컵 보증금제 시행을 6개월 미뤄 달라고 "
     "시에 요청했다.\n협의회는 점주 1200명의 서명을 담은 건의서를 시청에 냈다.\n점주들은 반납 "
     "기계를 둘 공간이 없는 작은 매장이 많다고 주장했다.\n시는 건의 내용을 검토하겠다고 밝혔다."),
    # A 속보 line, its 종합 and a photo caption two days later.
    ("ferry-flash", "한들통신", 2880 + 305, "[속보] 바람섬 앞바다서 여객선 좌초…승객 구조 중",
     "바람섬 앞바다에서 120여명의 승객을 태운 여객선이 좌초돼 해경이 구조에 나섰다."),
    ("ferry-wrap", "한들통신", 2880 + 400, "바람섬 앞바다 여객선 좌초, 승객 132명 전원 구조(종합)",
     "(한들=한들통신) 이솔 기자 = 12일 오후 1시 50분께 바람섬 남쪽 2㎞ 해상에서 여객선 "
     "'바다누리호'가 암초에 걸려 멈춰 섰다.\n해경은 경비함정 5척과 헬기 2대를 보내 1시간 30분 "
     "만에 132명의 승객을 모두 구조했다.\n선원 6명도 무사히 빠져나왔다.\n부상자는 없는 것으로 "
     "전해졌다.\n해경은 선장을 상대로 정확한 사고 원인을 조사하고 있다."),
    ("ferry-photo", "누리방송", 2880 + 420, "[포토] 구조된 바람섬 여객선 승객들",
     "12일 바람섬 항구에서 좌초된 여객선 바다누리호의 승객들이 해경의 안내를 받으며 배에서 "
     "내리고 있다. 2025.6.12"),
    # Later the same evening: another outlet's rewrite, then one with a new figure.
    ("ferry-rewrite", "가람일보", 2880 + 470, "바람섬 여객선 좌초…승객 132명 모두 무사",
     "12일 바람섬 남쪽 바다에서 여객선 바다누리호가 암초에 걸려 좌초했지만 132명의 승객은 "
     "모두 구조됐다.\n해경 경비함정 5척과 헬기 2대가 구조에 나섰다.\n해경은 사고 원인을 "
     "조사하고 있다."),
    ("ferry-update", "누리방송", 2880 + 560, "바람섬 좌초 여객선 승객 3명 병원 이송",
     "바람섬 앞바다에서 좌초한 여객선 바다누리호 승객 가운데 3명이 허리 통증을 호소해 병원으로 "
     "옮겨졌습니다.\n해경은 132명의 승객을 모두 구조했다고 밝혔습니다.\n해경은 선장을 불러 "
     "사고 원인을 조사하고 있습니다."),
]

WIRE_AND_REWRITES = ["cup-wire", "cup-garam", "cup-nuri", "cup-dasom"]
FERRY = ["ferry-flash", "ferry-wrap", "ferry-photo", "ferry-rewrite", "ferry-update"]


def article(key: str, base: datetime = BASE) -> ArticleInput:
    """One of ARTICLES as ingest gets it, published its offset after `base`."""
    for k, publisher, minutes, title, body in ARTICLES:
        if k == key:
            when = base + timedelta(minutes=minutes)
            return ArticleInput(
                title=title, body=body, url=f"https://stories.example.com/{k}",
                publisher=publisher, published_at=when.isoformat(timespec="seconds"),
                source_id=f"story-{k}",
            )
    raise KeyError(key)


def articles(keys: list[str], base: datetime = BASE) -> list[ArticleInput]:
    return [article(k, base) for k in keys]
