"""Made-up articles and subscriptions for the alert tests and bench/alerts.py.

The companies are invented and every sentence was written for these tests. Each article
names one or two of the companies, so which chat should get which article is known
without asking the matcher.
"""

from __future__ import annotations

import html
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from analysis.grammar import has_final_consonant
from ingest.article_input import ArticleInput

KST = timezone(timedelta(hours=9))

COMPANIES = ["누리봇", "별빛클라우드", "한빛칩", "새싹페이", "모아톡", "바다로보틱스",
             "구름드라이브", "다온헬스", "미르게임즈", "하늘모빌리티"]

OPENINGS = [
    "{s} 이번 달 새 기능을 선보이며 이용자 확대에 나섰다.",
    "{s} 올해 하반기 사업 계획을 발표했다.",
    "{s} 새 서비스의 시범 운영을 시작한다고 밝혔다.",
    "{s} 연구 인력을 두 배로 늘리기로 했다.",
]
POOL = [
    "회사 측은 해외 시장 진출도 검토하고 있다고 덧붙였다.",
    "업계에서는 경쟁사들의 대응에 관심이 쏠리고 있다.",
    "이번 발표에는 개발자 지원 프로그램을 넓히는 계획도 담겼다.",
    "전문가들은 개인정보 보호 대책이 함께 마련돼야 한다고 지적했다.",
    "첫 시범 서비스는 수도권 일부 지역에서 먼저 열린다.",
    "투자 규모는 아직 공개되지 않았다.",
    "협력사들과의 공동 연구는 다음 분기부터 본격화한다.",
    "이용자 반응을 살핀 뒤 요금 체계를 조정할 방침이다.",
    "정부는 제도 정비를 위한 의견 수렴에 들어갔다.",
    "한 증권사 연구원은 실적 개선 효과가 내년에 나타날 것으로 내다봤다.",
    "시민단체는 운영 기준을 투명하게 공개하라고 요구했다.",
    "지방 거점 도시에도 연구소를 세우는 방안이 거론된다.",
    "중소기업 고객을 위한 할인 상품도 함께 나온다.",
    "노조는 인력 재배치 과정에서 충분한 협의를 요청했다.",
    "경쟁 업체 한 곳은 비슷한 제품을 다음 달 내놓을 예정이다.",
    "소비자 단체는 환불 규정을 분명히 해 달라고 밝혔다.",
    "행사장에는 사전 신청자 수백 명이 몰렸다.",
    "회사는 탄소 배출을 줄이는 데이터센터 운영 방식도 소개했다.",
    "일부 기능은 유료 구독자에게만 먼저 제공된다.",
    "학계에서는 장기적인 안전성 검증이 필요하다는 의견이 나왔다.",
]


def subject(name: str) -> str:
    return name + ("이" if has_final_consonant(name) else "가")


def topic(name: str) -> str:
    return name + ("은" if has_final_consonant(name) else "는")


@dataclass(frozen=True)
class PlannedArticle:
    number: int
    companies: tuple[str, ...]
    item: ArticleInput


def make_article(number: int, companies: tuple[str, ...], rng: random.Random,
                 published: datetime | None = None) -> PlannedArticle:
    """An article about `companies` whose body differs enough from the others' that
    near-duplicate detection leaves it alone."""
    first = companies[0]
    sentences = [rng.choice(OPENINGS).format(s=topic(first))]
    if len(companies) > 1:
        sentences.append(f"이 자리에서 {subject(companies[1])} 협력 파트너로 소개됐다.")
    sentences += rng.sample(POOL, 5)
    sentences.append(f"담당 부서는 {number + 3}건의 점검 결과를 {number % 27 + 1}일 내놓는다.")
    body = " ".join(sentences[:3]) + "\n" + " ".join(sentences[3:])
    when = published or datetime.now(KST)
    item = ArticleInput(
        title=f"{first}, {number}번째 소식에서 새 전략 공개",
        body=body,
        url=f"https://alerts-test.example.com/news/{number}",
        publisher=["누리데일리", "별빛경제", "한밭뉴스"][number % 3],
        published_at=when.isoformat(timespec="seconds"),
        source_id=f"alert-{number}",
    )
    return PlannedArticle(number, companies, item)


def plan_articles(count: int, seed: int = 7, companies: list[str] | None = None) -> list[PlannedArticle]:
    rng = random.Random(seed)
    names = companies or COMPANIES
    out = []
    for n in range(count):
        picked = tuple(rng.sample(names, 2 if rng.random() < 0.3 else 1))
        out.append(make_article(n, picked, rng))
    return out


def plan_subscriptions(chat_ids: list[int], seed: int = 11,
                       companies: list[str] | None = None) -> dict[int, list[str]]:
    rng = random.Random(seed)
    names = companies or COMPANIES
    return {chat: rng.sample(names, 2 if rng.random() < 0.4 else 1) for chat in chat_ids}


def expected_pairs(subs: dict[int, list[str]], articles: list[PlannedArticle]) -> set[tuple[int, str]]:
    """(chat id, article url) for every alert that should arrive."""
    return {
        (chat, a.item.url)
        for chat, names in subs.items()
        for a in articles
        if set(names) & set(a.companies)
    }


_HREF = re.compile(r'href="([^"]+)"')


def delivered(sent: list[dict[str, Any]]) -> Counter[tuple[int, str]]:
    """How often each (chat id, article url) arrived, over every message the bot sent."""
    counts: Counter[tuple[int, str]] = Counter()
    for message in sent:
        text = str(message["_params"].get("text", ""))
        for url in _HREF.findall(text):
            counts[(int(message["_params"]["chat_id"]), html.unescape(url))] += 1
    return counts
