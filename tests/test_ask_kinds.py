"""/ask for every kind of news question over articles written for these tests: what is new,
a time window (and one with no article), why, a list, a comparison, the current state, and
a name with its version; every answer as asked at a given time."""

from __future__ import annotations

from datetime import datetime

import pytest

from answer.question import read_question
from handlers.ask import answer_question
from handlers.search import find_articles
from handlers.services import ChatContext, Services
from handlers.summary import summary
from ingest.article_input import ArticleInput
from ingest.pipeline import ingest_items
from store.articles import KST
from store.db import open_db


def report(slug: str, title: str, body: str, when: str, publisher: str = "가람일보") -> ArticleInput:
    return ArticleInput(title=title, body=body, url=f"https://kinds.example.com/{slug}",
                        publisher=publisher, published_at=when)


ARTICLES = [
    report("seed", "한빛로봇, 물류 로봇 '나래' 공개",
           "한빛로봇이 물류 창고용 로봇 '나래'를 공개했다. 나래는 한 번 충전으로 10시간 움직인다. "
           "한빛로봇은 2019년 설립된 로봇 스타트업이다.", "2025-03-02T09:00:00+09:00"),
    report("funding", "한빛로봇, 300억원 투자 유치",
           "한빛로봇이 300억원 규모의 투자를 유치했다. 이번 투자에는 누리캐피탈, 별솔투자, 가온벤처스가 "
           "참여했다. 회사는 해외 진출을 위해 자금을 쓸 계획이라고 밝혔다.", "2025-05-10T09:00:00+09:00"),
    report("rival", "새솔모빌리티, 배송 로봇 '바람' 출시",
           "새솔모빌리티가 배송 로봇 '바람'을 출시했다. 바람은 한 번 충전으로 8시간 움직인다. "
           "새솔모빌리티는 2021년 설립됐다.", "2025-05-20T09:00:00+09:00"),
    report("delay", "한빛로봇, 나래 2 출시 미뤄",
           "한빛로봇이 차세대 로봇 '나래 2' 출시를 내년으로 미뤘다. 부품 공급이 늦어졌기 때문이다. "
           "나래 2는 한 번 충전으로 14시간 움직이도록 설계됐다.", "2025-06-02T09:00:00+09:00"),
    report("launch", "한빛로봇 나래 2, 결국 연내 출시 확정",
           "한빛로봇이 나래 2를 연내 출시하기로 최종 확정했다. 한빛로봇은 부품 공급처를 바꿔 "
           "일정을 앞당겼다고 설명했다.", "2025-06-20T09:00:00+09:00"),
    report("merge", "누리반도체, 설계 자회사 흡수",
           "누리반도체가 설계 자회사 누리칩스의 사업을 본사로 옮겼다. 이에 따라 누리칩스 연구 인력 "
           "300명이 본사 소속이 됐다. 설계 센터 두 곳도 본사가 운영한다. 업계는 이번 통합을 눈여겨보고 "
           "있다. 누리반도체는 흩어져 있던 설계 역량을 한곳에 모아 결정 속도를 높일 수 있을 것으로 "
           "기대하고 있다.", "2025-04-15T09:00:00+09:00"),
    report("budget", "정부, 물류 로봇 실증 예산 500억원 편성",
           "정부가 물류 로봇 실증 사업에 예산 500억원을 편성했다. 사업은 내년까지 이어진다.",
           "2025-04-20T09:00:00+09:00"),
    report("ruling", "여당 새 원내대표에 김가온 의원",
           "여당은 의원총회를 열어 김가온 의원을 새 원내대표로 뽑았다. 김 원내대표는 민생 법안을 먼저 "
           "처리하겠다고 말했다.", "2025-05-12T09:00:00+09:00"),
    report("opposition", "야당 원내대표에 박누리 의원 선출",
           "야당은 박누리 의원을 원내대표로 선출했다. 박 원내대표는 정부 예산안을 꼼꼼히 따지겠다고 밝혔다.",
           "2025-05-13T09:00:00+09:00"),
    report("plan", "가람전자 공장 증설 검토…공장 부지 물색 나서",
           "가람전자가 공장 증설을 검토하고 있다. 회사는 공장 부지로 세 곳을 살피고 있으며 공장 규모는 "
           "기존 공장의 두 배가 될 전망이다. 가람전자 공장 증설 계획은 다음 달 나온다.",
           "2025-04-01T09:00:00+09:00"),
    report("assistant", "다온텔레콤, AI 비서 '에이닷' 출시",
           "다온텔레콤이 AI 비서 에이닷을 내놨다. 에이닷은 통화 내용을 글로 옮겨 준다. 에이닷은 일정도 "
           "챙겨 준다. 회사는 에이닷 이용자를 연내 500만명으로 늘릴 계획이다.",
           "2025-01-10T09:00:00+09:00"),
    report("datacenter", "다온텔레콤, 데이터센터 세 곳 더 짓는다",
           "다온텔레콤이 전국에 데이터센터 세 곳을 더 짓는다고 밝혔다. 투자 규모는 1조원이다. "
           "다온텔레콤은 AI 비서 에이닷도 계속 고도화하고 있다.", "2025-06-15T09:00:00+09:00"),
    report("ceo", "한빛로봇, 새 대표에 최다온 전 부사장",
           "한빛로봇이 새 대표로 최다온 전 누리전자 부사장을 선임했다. 최다온 한빛로봇 대표는 물류 자동화 "
           "사업에 집중하겠다고 말했다.", "2025-04-01T09:00:00+09:00"),
    report("holder-old", "가온벤처스, 다온칩에 추가 투자",
           "가온벤처스가 AI 반도체 기업 다온칩에 추가로 투자했다. 가온벤처스는 다온칩의 주요 주주이기도 "
           "하다.", "2024-03-05T09:00:00+09:00"),
    report("holder-new", "다온칩, 시리즈B 마무리",
           "다온칩이 시리즈B 투자 유치를 마무리했다. 이로써 가온벤처스와 누리은행이 모두 주요 주주로 "
           "참여하게 됐다.", "2025-03-05T09:00:00+09:00"),
    report("subsidy", "물류 로봇 보조금 담긴 추경 국회 통과",
           "국회는 25일 본회의를 열고 한빛로봇 등 물류 로봇 기업에 줄 보조금 300억원이 담긴 추경을 "
           "통과시켰다.", "2025-04-25T09:00:00+09:00"),
    report("drone-law", "드론 배송법 26일 시행",
           "드론 배송법이 26일부터 시행됐다. 배송 보조금 지원 근거를 담은 법안이 국회를 통과한 지 1년 "
           "만이다. 한빛로봇도 이날 배송 로봇의 시험 운행을 시작했다.", "2025-05-26T09:00:00+09:00"),
    report("other", "가람전자, 새 반도체 공장 착공",
           "가람전자가 새 반도체 공장을 착공했다. 공장은 2027년 가동을 목표로 한다.",
           "2025-06-20T11:00:00+09:00"),
]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    db = open_db(tmp_path_factory.mktemp("kinds") / "store.db")
    assert ingest_items(db, ARTICLES).failed == 0
    return Services(db)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(KST)


def slugs(services: Services, ids: list[int]) -> list[str]:
    found = dict(services.db.execute("SELECT id, url FROM articles").fetchall())
    return [found[i].rsplit("/", 1)[1] for i in ids]


def test_the_kinds_are_read_from_the_wording() -> None:
    cases = {
        "요즘 한빛로봇 소식 있어?": "latest", "오늘 뉴스 정리해줘": "window",
        "한빛로봇은 왜 투자 받았어?": "why", "한빛로봇 투자사 누구누구야?": "list",
        "한빛로봇이랑 새솔모빌리티 중에 어디가 먼저 생겼어?": "comparison",
        "나래 2 아직 출시 미뤄진 거야?": "state", "나래 충전하면 몇 시간 움직여?": "fact",
        # A reason in the question's description does not make it a why question.
        "역사 왜곡에 맞서 세운 시설은?": "fact", "냉전적 시각을 이유로 질책한 인물은?": "fact",
        "업스테이지 투자금은 어떻게 구성돼?": "list",
        "여야 원내대표 각각 누구야?": "comparison", "네카오 대표 둘 다 누구야?": "comparison",
        # What it is doing now, named: the newest word on it, not a list of news.
        "한빛로봇 요즘 뭐 준비 중이야?": "state", "한빛로봇 요즘 뭐 하고 있어?": "latest",
        # A subject and 소식, and nothing else, asks what is new on it.
        "한빛로봇 소식?": "latest", "나래 2 출시 소식은?": "latest", "사퇴 소식에 주가는?": "fact",
    }
    assert {q: read_question(q).intent for q in cases} == cases


def test_whats_new_lists_the_newest_first_as_asked_then(services: Services) -> None:
    reply = answer_question(services, "요즘 한빛로봇 소식 있어?", asked_at=at("2025-06-25T09:00:00+09:00"))
    assert slugs(services, reply.article_ids)[:2] == ["launch", "delay"]
    assert reply.visible.split("\n")[1].startswith("1. 2025-06-20")
    # Asked before the launch article existed, it is not there.
    earlier = answer_question(services, "요즘 한빛로봇 소식 있어?", asked_at=at("2025-06-05T09:00:00+09:00"))
    assert "launch" not in slugs(services, earlier.article_ids)
    assert slugs(services, earlier.article_ids)[0] == "delay"


def test_whats_new_about_a_name_the_question_splits_is_its_newest_mention(
        services: Services) -> None:
    """Kiwi reads the question's 에이닷 as 에이 + 닷: the name is still the subject, and the
    newest article naming it comes first, though an older one is all about it."""
    reply = answer_question(services, "에이닷 최근 업데이트 뭐 있었어?",
                            asked_at=at("2025-06-20T09:00:00+09:00"))
    assert slugs(services, reply.article_ids)[:1] == ["datacenter"], reply.visible
    assert reply.visible.startswith("에이닷 최근 소식이에요."), reply.visible


def test_a_window_with_and_without_articles(services: Services) -> None:
    today = answer_question(services, "오늘 뉴스 정리해줘", asked_at=at("2025-06-20T18:00:00+09:00"))
    assert set(slugs(services, today.article_ids)) == {"launch", "other"}
    assert today.visible.startswith("오늘")
    quiet = answer_question(services, "이번 주 한빛로봇 기사 있어?", asked_at=at("2025-07-02T09:00:00+09:00"))
    assert quiet.visible.startswith("이번 주에는 한빛로봇 새 기사가 없어요.")
    assert slugs(services, quiet.article_ids)[0] == "launch"  # the newest before the week


def test_a_window_finds_its_own_article_though_an_older_one_says_the_words_more(
        services: Services) -> None:
    reply = answer_question(services, "어제 새 공장 증설 기사 떴어?",
                            asked_at=at("2025-06-21T09:00:00+09:00"))
    assert slugs(services, reply.article_ids)[:1] == ["other"], reply.visible


def test_summary_reads_a_time_as_ask_does(services: Services) -> None:
    """`/summary 오늘` is that day's articles, not articles about the word 오늘."""
    day = ChatContext(asked_at=at("2025-06-20T18:00:00+09:00"))
    today = summary(services, "오늘", day)
    assert today.visible.startswith("📝 오늘 요약")
    assert set(slugs(services, today.article_ids)) == {"launch", "other"}
    quiet = summary(services, "이번 주 한빛로봇", ChatContext(asked_at=at("2025-07-02T09:00:00+09:00")))
    assert quiet.visible.startswith("이번 주에는 한빛로봇 새 기사가 없어요.")
    assert slugs(services, quiet.article_ids)[0] == "launch"


def test_why_is_answered_with_the_reason(services: Services) -> None:
    reply = answer_question(services, "나래 2 출시 왜 미뤘대?", asked_at=at("2025-06-10T09:00:00+09:00"))
    assert "부품 공급이 늦어졌기 때문" in reply.visible
    # What followed from the fact ('이에 따라 …') is no reason; what the company expects is.
    moved = answer_question(services, "누리반도체는 설계 사업을 왜 본사로 옮겼어?")
    assert "결정 속도를 높일" in moved.visible and "이에 따라" not in moved.visible


def test_a_why_that_names_nothing_follows_the_listed_item_it_is_about(services: Services) -> None:
    """'왜 미뤘대?' after a list asks about the item that tells of a delay, wherever it
    stands in the list; with no item about one, the first item is what it follows."""
    ids = dict((url.rsplit("/", 1)[1], i) for i, url in services.db.execute(
        "SELECT id, url FROM articles").fetchall())
    shown = [ids["rival"], ids["budget"], ids["delay"]]
    reply = answer_question(services, "왜 미뤘대?", prefer=shown, asked_at=at("2025-06-10T09:00:00+09:00"))
    assert "부품 공급이 늦어졌기 때문" in reply.visible, reply.visible
    assert slugs(services, reply.article_ids)[0] == "delay"
    nothing = answer_question(services, "왜 미뤘대?", prefer=[ids["rival"], ids["budget"]],
                              asked_at=at("2025-06-10T09:00:00+09:00"))
    assert nothing.visible.startswith("이 질문에 확실히 답할 기사를 찾지 못했어요. 가장 가까운 내용이에요.")
    assert "부품 공급" not in nothing.visible


def test_a_why_whose_premise_no_article_states_is_not_answered(services: Services) -> None:
    """'새솔모빌리티 왜 미뤘대?': no article says 새솔모빌리티 put anything off, so another
    company's delay and its reason are no answer, and the launch article is only the nearest."""
    when = at("2025-06-10T09:00:00+09:00")
    for asked in ("새솔모빌리티 왜 미뤘대?", "바람 출시 왜 미뤘대?"):
        reply = answer_question(services, asked, asked_at=when)
        assert reply.visible.startswith("이 질문에 확실히 답할 기사를 찾지 못했어요. 가장 가까운 내용이에요."), reply.visible
        assert "부품 공급" not in reply.visible and slugs(services, reply.article_ids)[0] == "rival"
    # Asked of the company that did, it is answered with the reason.
    assert "부품 공급이 늦어졌기 때문" in answer_question(services, "한빛로봇 왜 미뤘대?", asked_at=when).visible


def test_a_list_shows_every_item(services: Services) -> None:
    reply = answer_question(services, "한빛로봇 투자에 참여한 곳들 뭐 있어?")
    assert all(name in reply.visible for name in ("누리캐피탈", "별솔투자", "가온벤처스"))


def test_a_comparison_gives_both_sides_and_which_came_first(services: Services) -> None:
    reply = answer_question(services, "한빛로봇이랑 새솔모빌리티 중에 어디가 먼저 생겼어?")
    text = reply.visible
    assert "2019년" in text and "2021년" in text
    assert text.strip().endswith("한빛로봇이 먼저예요.")
    # A side that names its own measure is asked that, not the other side's.
    amounts = answer_question(services, "한빛로봇 투자액이랑 정부 물류 로봇 예산 비교하면?").visible
    assert "300억원" in amounts and "500억원" in amounts, amounts


def test_which_is_bigger_asks_each_side_its_size() -> None:
    """'뭐가 더 커?' of two models asks each its size, so a count of its kinds ('3종') is no
    answer."""
    from answer.compare import split
    parts = split("별꽃 3B랑 누리말 중에 뭐가 더 커?")
    assert parts is not None and (parts.first, parts.second) == ("별꽃 3B", "누리말")
    assert parts.asked == "크기 몇이야?" and parts.larger
    assert split("한빛로봇이랑 새솔모빌리티 중에 투자 누가 더 많이 받았어?").asked != "크기 몇이야?"


def test_a_word_naming_two_things_asks_each_of_them(services: Services) -> None:
    """'여야 … 각각': the ruling party's and the opposition's, one side each."""
    text = answer_question(services, "여야 원내대표 각각 누구야?").visible
    assert "• 여당" in text and "• 야당" in text, text
    assert "김가온" in text and "박누리" in text, text


def test_a_newer_article_answers_the_state_only_where_it_names_what_is_asked(
        services: Services) -> None:
    """'…국회 통과했어?': a newer article that names 한빛로봇 only beside another bill's passing
    ('법안이 국회를 통과한 지 1년') is no newer word on the subsidy."""
    reply = answer_question(services, "한빛로봇 보조금 추경 국회 통과했어?",
                            asked_at=at("2025-05-30T09:00:00+09:00"))
    assert slugs(services, reply.article_ids)[0] == "subsidy", reply.visible


def test_the_newest_word_on_who_names_someone(services: Services) -> None:
    """'지금 대표가 누구야?': a newer article about the company that names no one gives way
    to the one that names its head."""
    reply = answer_question(services, "한빛로봇 지금 대표가 누구야?", asked_at=at("2025-06-30T09:00:00+09:00"))
    assert "최다온" in reply.visible.split("\n")[0], reply.visible


def test_others_than_the_one_named_are_what_is_asked(services: Services) -> None:
    """'가온벤처스 말고 또 있어?' sets 가온벤처스 aside: the sentence naming another holder
    answers, not the one naming it alone (and 말고, 또 are no topic words)."""
    question = read_question("다온칩 주요 주주 가온벤처스 말고 또 있어?")
    assert question.besides and not {"말", "또"} & set(question.terms)
    reply = answer_question(services, "다온칩 주요 주주 가온벤처스 말고 또 있어?")
    assert slugs(services, reply.article_ids)[0] == "holder-new"
    assert "누리은행" in reply.visible.split("\n")[0]


def test_the_current_state_comes_from_the_newest_article(services: Services) -> None:
    reply = answer_question(services, "나래 2 출시 결국 확정됐어?", asked_at=at("2025-06-25T09:00:00+09:00"))
    assert slugs(services, reply.article_ids)[0] == "launch"
    assert "확정" in reply.visible.split("\n")[0]


def test_a_name_with_its_version_is_one_term(services: Services) -> None:
    found = slugs(services, find_articles(services, "나래 2", limit=5))
    assert found and set(found) <= {"delay", "launch"}  # 'seed' says only 나래
    reply = answer_question(services, "나래 2 한 번 충전으로 몇 시간 움직여?")
    assert reply.visible.startswith("14시간")


def test_what_is_new_lists_news_about_the_subject_before_passing_mentions(tmp_path) -> None:
    """'한빛로봇 소식?': an article about another company that names 한빛로봇 once, far down,
    comes after the articles about 한빛로봇 though it is newer."""
    filler = "새솔모빌리티는 배송 로봇 바람의 판매처를 전국으로 넓힌다. " * 12
    db = open_db(tmp_path / "store.db")
    assert ingest_items(db, [
        report("about", "한빛로봇, 물류센터 두 곳에 나래 공급",
               "한빛로봇이 물류센터 두 곳에 로봇 나래를 공급한다고 밝혔다. 공급 규모는 40대다.",
               "2025-06-01T09:00:00+09:00"),
        report("passing", "새솔모빌리티, 바람 판매처 확대",
               filler + "새솔모빌리티는 앞서 한빛로봇과 부품 공급 계약을 맺은 바 있다.",
               "2025-06-03T09:00:00+09:00"),
    ]).failed == 0
    services = Services(db)
    listed = answer_question(services, "한빛로봇 소식?", asked_at=at("2025-06-04T09:00:00+09:00"))
    assert slugs(services, listed.article_ids)[:2] == ["about", "passing"], listed.visible
