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

# A hundred different events, so that each planned article is a story of its own.
EVENTS = [
    ("경기 남부 물류센터 착공", "{s} 경기 남부에 대형 물류센터를 짓기 시작했다."),
    ("사내 어린이집 개원", "{s} 본사 건물에 직원 자녀를 위한 어린이집을 열었다."),
    ("중고 기기 보상 판매", "{s} 쓰던 기기를 반납하면 값을 깎아 주는 보상 판매를 시작했다."),
    ("베트남 법인 설립", "{s} 하노이에 현지 법인을 세우고 동남아 영업에 나선다."),
    ("개인정보 유출 사과", "{s} 고객 정보가 새어 나간 사고에 대해 공식 사과했다."),
    ("신입 공채 두 배 확대", "{s} 올해 신입 사원 공개 채용 규모를 지난해의 두 배로 늘린다."),
    ("전기 트럭 도입", "{s} 배송용 차량을 모두 전기 트럭으로 바꾸기로 했다."),
    ("대학 연구소와 협약", "{s} 지역 국립대 연구소와 공동 연구 협약을 맺었다."),
    ("요금제 개편", "{s} 월 구독 요금제를 세 가지로 단순하게 바꿨다."),
    ("주주총회서 배당 결정", "{s} 정기 주주총회에서 주당 현금 배당을 확정했다."),
    ("해킹 대회 후원", "{s} 보안 인재를 찾는 대학생 해킹 대회를 후원한다."),
    ("재택근무 폐지", "{s} 코로나 이후 이어 온 재택근무 제도를 없애기로 했다."),
    ("반도체 장비 수주", "{s} 유럽 고객사에서 장비 공급 계약을 따냈다."),
    ("농촌 봉사 활동", "{s} 임직원 수백 명이 모내기 봉사에 참여했다."),
    ("앱 접속 장애", "{s} 모바일 앱이 세 시간 가까이 먹통이 되는 장애를 겪었다."),
    ("친환경 포장재 전환", "{s} 택배 상자를 재활용 종이 포장재로 바꾼다."),
    ("스타트업 지분 인수", "{s} 음성 인식 스타트업 지분을 사들였다."),
    ("공장 화재", "{s} 충북 공장에서 불이 나 생산 라인 일부가 멈췄다."),
    ("노사 임금 합의", "{s} 노동조합과 올해 임금 인상률에 합의했다."),
    ("해외 전시회 참가", "{s} 라스베이거스 가전 전시회에 전시관을 차린다."),
    ("장애인 접근성 인증", "{s} 웹 접근성 품질 인증을 받았다."),
    ("무인 매장 개점", "{s} 직원 없이 운영하는 무인 매장을 서울 성수동에 열었다."),
    ("회계 감사 의견 논란", "{s} 외부 감사인에게서 한정 의견을 받아 논란이 일었다."),
    ("기부금 전달", "{s} 소아암 환자 치료비로 쓰일 기부금을 병원에 전달했다."),
    ("자율주행 시험 면허", "{s} 국토교통부에서 자율주행 시험 운행 면허를 받았다."),
    ("본사 이전", "{s} 판교에서 마곡으로 본사를 옮긴다."),
    ("특허 소송 승소", "{s} 경쟁사와 벌인 특허 침해 소송에서 이겼다."),
    ("우주 위성 발사", "{s} 자체 개발한 소형 관측 위성을 궤도에 올렸다."),
    ("게임 대회 개최", "{s} 이용자가 참가하는 온라인 게임 대회를 연다."),
    ("의료 데이터 협력", "{s} 대형 병원과 의료 데이터 분석 협력을 시작한다."),
    ("희망퇴직 시행", "{s} 근속 10년 이상 직원을 대상으로 희망퇴직을 받는다."),
    ("로봇 카페 시범", "{s} 로봇 바리스타가 커피를 내리는 카페를 시범 운영한다."),
    ("탄소 배출 보고서", "{s} 지난해 온실가스 배출량을 담은 보고서를 냈다."),
    ("장학금 지원", "{s} 이공계 대학생에게 장학금을 준다."),
    ("드론 배송 실험", "{s} 섬 지역에 드론으로 생필품을 보내는 실험을 한다."),
    ("고객센터 인공지능 상담", "{s} 고객센터 상담 일부를 인공지능에 맡긴다."),
    ("중국 생산 기지 철수", "{s} 중국 선전의 생산 기지를 닫고 국내로 돌아온다."),
    ("명절 선물 세트 출시", "{s} 추석을 앞두고 선물 세트를 내놨다."),
    ("사외이사 선임", "{s} 전직 판사를 사외이사로 뽑았다."),
    ("야구단 후원 계약", "{s} 프로야구단과 유니폼 후원 계약을 맺었다."),
    ("제주 연수원 매각", "{s} 제주도에 있던 직원 연수원을 팔았다."),
    ("사명 변경", "{s} 창립 20년 만에 회사 이름을 바꾼다."),
    ("유아용 앱 출시", "{s} 미취학 어린이를 위한 그림책 앱을 내놨다."),
    ("폭우 피해 복구 지원", "{s} 장마철 침수 피해를 입은 마을에 복구 인력을 보냈다."),
    ("공정위 과징금", "{s} 공정거래위원회로부터 하도급법 위반으로 과징금을 물게 됐다."),
    ("코스닥 상장 예비심사", "{s} 코스닥 상장을 위한 예비 심사를 청구했다."),
    ("대표 교체", "{s} 새 최고경영자로 외부 출신 전문 경영인을 앉혔다."),
    ("빙상 국가대표 후원", "{s} 쇼트트랙 대표팀 훈련비를 대기로 했다."),
    ("양자 암호 시연", "{s} 양자 암호로 지킨 통신망을 처음 선보였다."),
    ("반려동물 보험 판매", "{s} 강아지와 고양이를 위한 보험 상품을 판다."),
    ("지하철 광고 캠페인", "{s} 서울 지하철역에 대규모 옥외 광고를 걸었다."),
    ("해저 케이블 공사", "{s} 남해안 섬을 잇는 해저 통신 케이블을 깐다."),
    ("청년 창업 공모전", "{s} 대학생 창업 아이디어 공모전을 연다."),
    ("리콜 결정", "{s} 배터리 결함이 발견된 제품을 거둬들이기로 했다."),
    ("분기 실적 흑자 전환", "{s} 지난 분기에 처음으로 영업이익을 냈다."),
    ("사옥 옥상 태양광", "{s} 사옥 지붕에 태양광 발전 설비를 달았다."),
    ("미술관 전시 후원", "{s} 국립현대미술관 기획전을 후원한다."),
    ("콜센터 직원 정규직 전환", "{s} 하청 상담사를 정규직으로 채용한다."),
    ("인도네시아 니켈 광산 투자", "{s} 인도네시아 니켈 광산 개발에 돈을 넣는다."),
    ("스마트 농장 구축", "{s} 강원도에 수직형 스마트 농장을 세운다."),
    ("비상장 주식 거래 중단", "{s} 장외 주식 거래 서비스를 잠시 멈췄다."),
    ("독거노인 안부 서비스", "{s} 혼자 사는 노인에게 안부 전화를 거는 서비스를 시작했다."),
    ("영화 제작 투자", "{s} 한국 영화 세 편의 제작비를 댄다."),
    ("국제 표준 채택", "{s} 자사 기술이 국제 표준으로 채택됐다고 밝혔다."),
    ("사이버 보험 가입", "{s} 해킹 피해에 대비한 사이버 보험에 들었다."),
    ("주 4일제 실험", "{s} 일부 부서에서 주 4일 근무를 시험한다."),
    ("수소 충전소 개설", "{s} 고속도로 휴게소에 수소 충전소를 열었다."),
    ("캠핑용품 브랜드 인수", "{s} 캠핑 장비 브랜드를 사들였다."),
    ("교통사고 통계 보고서", "{s} 운전자 주행 기록으로 본 교통사고 보고서를 펴냈다."),
    ("우수 협력사 시상", "{s} 한 해 동안 성과가 좋은 협력사에 상을 줬다."),
    ("디지털 교과서 공급", "{s} 초등학교에 디지털 교과서를 공급한다."),
    ("항공 마일리지 제휴", "{s} 국내 항공사와 마일리지 적립 제휴를 맺었다."),
    ("점자 메뉴판 보급", "{s} 가맹점에 점자 메뉴판을 나눠 준다."),
    ("산불 감시 카메라 기증", "{s} 산림청에 산불 감시용 카메라를 기증했다."),
    ("외국인 유학생 채용", "{s} 국내 대학의 외국인 유학생을 뽑는다."),
    ("온실가스 감축 목표 상향", "{s} 2030년 탄소 감축 목표를 높였다."),
    ("팝업 스토어 운영", "{s} 홍대 앞에 한 달짜리 팝업 스토어를 연다."),
    ("배달 라이더 보험 지원", "{s} 배달 기사들의 상해 보험료를 내준다."),
    ("우주 발사체 엔진 시험", "{s} 로켓 엔진 연소 시험에 성공했다."),
    ("도서관 기증", "{s} 농어촌 학교에 작은 도서관을 지어 준다."),
    ("가상자산 사업 철수", "{s} 가상자산 거래 사업에서 손을 뗀다."),
    ("스키장 인수", "{s} 강원도 스키 리조트를 인수했다."),
    ("청각장애인 자막 서비스", "{s} 영상 통화에 실시간 자막 기능을 넣었다."),
    ("대리점 갑질 논란", "{s} 대리점에 물량을 떠넘겼다는 의혹에 휩싸였다."),
    ("오래된 서버 교체", "{s} 15년 된 전산 시스템을 새로 바꾼다."),
    ("지역 축제 협찬", "{s} 안동 탈춤 축제를 협찬한다."),
    ("반도체 인력 양성 학과", "{s} 대학과 손잡고 계약학과를 만든다."),
    ("기술 유출 수사", "{s} 전직 연구원의 기술 유출 혐의로 검찰 수사를 받는다."),
    ("해양 쓰레기 수거", "{s} 임직원과 함께 바닷가 쓰레기를 치웠다."),
    ("할랄 인증 획득", "{s} 중동 수출을 위해 할랄 인증을 땄다."),
    ("노후 아파트 리모델링 수주", "{s} 1990년대 아파트 단지 리모델링 공사를 따냈다."),
    ("철도 차량 수출", "{s} 중남미에 전동차를 수출한다."),
    ("사내 벤처 분사", "{s} 사내 벤처 두 곳을 독립 회사로 떼어 냈다."),
    ("백신 위탁 생산", "{s} 해외 제약사 백신을 대신 만들어 준다."),
    ("가맹점 수수료 인하", "{s} 소상공인 가맹점 수수료를 낮춘다."),
    ("인공위성 영상 판매", "{s} 위성 사진을 농업 기업에 판다."),
    ("문화재 복원 후원", "{s} 사찰 단청 복원 비용을 낸다."),
    ("직원 주식 보상", "{s} 전 직원에게 자사주를 나눠 준다."),
    ("방송 광고 중단", "{s} 텔레비전 광고를 모두 끊고 온라인 광고에 집중한다."),
    ("물류 자회사 합병", "{s} 물류 자회사를 흡수 합병한다."),
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


@dataclass(frozen=True)
class PlannedArticle:
    number: int
    companies: tuple[str, ...]
    item: ArticleInput


def make_article(number: int, companies: tuple[str, ...], rng: random.Random,
                 published: datetime | None = None) -> PlannedArticle:
    """An article about `companies`, a story of its own: its event, and a body that differs
    enough from the others' that near-duplicate detection leaves it alone."""
    first = companies[0]
    event, opening = EVENTS[number % len(EVENTS)]
    sentences = [opening.format(s=subject(first)), f"'{event}' 소식은 {number % 27 + 1}일 전해졌다."]
    if len(companies) > 1:
        sentences.append(f"이 자리에서 {subject(companies[1])} 협력 파트너로 소개됐다.")
    sentences.append(f"담당 부서는 {number + 3}건의 점검 결과를 곧 내놓는다.")
    sentences += rng.sample(POOL, 2)  # after the lead: background any article may carry
    body = " ".join(sentences[:3]) + "\n" + " ".join(sentences[3:])
    when = published or datetime.now(KST)
    item = ArticleInput(
        title=f"{first}, {event}",
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
