"""/ask on questions typed the way a chat asks about real news: no value up front that the
article does not say of what was asked, an honest "not found" when no sentence states it,
and the right article however the question words its names (shorthand, the article's own
short forms, typos, other words for the same deed). The articles are written for these
tests, in the shape of real reports."""

from __future__ import annotations

import re

import pytest

from analysis.abbreviations import find_abbreviations
from answer.kinds import kind_values
from answer.question import read_question
from answer.retrieval import nearest_known_term, repair_terms
from handlers.ask import ABSTAIN_TEXT, answer_question, names_unknown_words
from handlers.services import Services
from ingest.article_input import ArticleInput
from ingest.pipeline import ingest_items
from store.db import open_db


def report(slug: str, title: str, body: str, day: str = "2024-07-02",
           publisher: str = "가람일보") -> ArticleInput:
    return ArticleInput(title=title, body=body, url=f"https://news.example.com/{slug}",
                        publisher=publisher, published_at=f"{day}T10:00:00+09:00")


ARTICLES = [
    report("warrant", "검찰, 한지석 전 대표 보좌관 구속영장 청구",
           "누리당 한지석 전 대표의 자금 의혹을 수사하는 검찰이 27일 한 전 대표 보좌관에 대해 "
           "구속영장을 청구했다. 검찰은 보좌관이 증거를 없애려 한 정황을 확인했다고 밝혔다. "
           "한 전 대표는 이날 입장문을 내고 혐의를 부인했다."),
    report("poll", "여론조사 결과 누리당 지지율 소폭 상승",
           "한빛리서치가 지난 25일부터 사흘간 조사한 결과 누리당 지지율은 31%로 나타났다. "
           "지난해 이맘때 5세 입학 정책 논란이 있었을 때보다 높은 수치다. "
           "새솔당 지지율은 27%였다."),
    report("briefing", "대통령, 교육부에 사교육 대책 지시",
           "대통령은 1일 최서준 교육부 장관에게 사교육비 경감 방안을 마련하라고 지시했다. "
           "최 장관은 이날 오후 정부서울청사에서 브리핑을 열고 대통령의 지시 내용을 설명했다. "
           "교육부는 다음 달 세부 대책을 내놓을 계획이다."),
    report("airlift", "태풍 고립 관광객 이틀간 490여명 귀국",
           "태풍으로 섬에 고립됐던 우리 관광객들이 군 수송기로 빠져나오고 있다. "
           "수송기는 27일 330명을 먼저 실어 날랐다. "
           "외교부는 27∼28일 이틀 동안 군 수송기로 섬을 빠져나온 우리 국민이 모두 490여명이라고 밝혔다."),
    report("model", "누리AI, 새 언어모델 '별꽃' 공개",
           "누리AI가 언어모델 '별꽃'을 공개했다. 정부의 국가대표 AI 사업에는 별꽃을 포함해 "
           "5개 팀이 선정됐다. 누리AI는 차기 버전 '별꽃 2'의 매개변수를 공개하지 않았다."),
    report("party", "국민의힘, 수해 성금 1억원 전달",
           "국민의힘은 이날 최고위원회의에 앞서 수해 복구를 위한 당원 성금 1억원을 구호단체에 전달했다. "
           "성금은 피해 지역 주민을 돕는 데 쓰인다."),
    report("bank", "금융통화위원회, 다음 달 기준금리 결정",
           "한국은행 금융통화위원회(금통위)는 다음 달 30일 회의를 열어 기준금리를 결정한다. "
           "시장에서는 금리 동결 전망이 우세하다."),
    report("startup", "하람랩, AI 비서 출시 9월로 연기",
           "공공 문서 AI 스타트업 하람랩이 AI 비서 출시를 9월로 미뤘다. "
           "회사는 보안 인증 일정 때문이라고 설명했다."),
    report("award", "7월의 과학자상에 윤서하 교수 선정",
           "과학기술단체는 윤서하 가온대 교수를 7월의 과학자상 수상자로 선정했다고 밝혔다. "
           "윤 교수는 배터리 소재 연구로 이름을 알렸다."),
    report("hike", "대통령, 출입기자들과 산행", "대통령과 기자단의 산행은 취임 직후인 지난해 5월 이후 "
           "1년 5개월 만이다. 대통령은 산행 중 기자들과 경제 현안을 이야기했다."),
    report("photo", "국무부, 불법 환적 사진 공개", "국무부는 26일 누리집에 불법 환적 사진을 여러 장 올렸다. "
           "5월 18일로 돼 있는 첫 사진에는 선박 두 척이 나란히 선 모습이 담겼다."),
    report("messenger", "다온, AI 비서 '별빛' 앱 출시",
           "다온이 AI 비서 앱 '별빛'을 출시했다. 별빛은 다온톡 대화방에서 일정과 메모를 정리해 준다. "
           "다온톡은 지난해 기준 월간 활성 이용자(MAU)가 3,120만명에 달하는 국내 최대 메신저다. "
           "다온은 별빛 이용자 수를 공개하지 않았다."),
    report("fine", "민새롬 전 의원, 벌금형 확정으로 의원직 상실",
           "민새롬 전 의원은 선거법 위반으로 벌금 300만원형이 확정돼 의원직을 상실했다. "
           "민 전 의원은 판결에 유감을 나타냈다."),
    report("round", "다온칩, 900억원 투자 유치 마무리",
           "AI 반도체 스타트업 다온칩이 900억원 규모의 투자 유치를 마무리했다. 이번 라운드에는 "
           "누리은행(200억원)을 비롯해 20여 곳의 기관이 참여했다."),
    report("round-a", "별솔바이오, 500억원 규모 시리즈A 유치",
           "바이오 스타트업 별솔바이오가 500억원 규모의 시리즈A 투자 유치를 마무리했다. 이번 투자에는 "
           "기관 투자자 여섯 곳이 참여했다.", day="2024-03-02"),
    report("round-b", "별솔바이오, 시리즈A 이어 시리즈B 추진",
           "별솔바이오가 시리즈A에 이어 시리즈B 투자 유치에 나섰다. 시리즈A 당시 인정받은 2000억원과 "
           "비교하면 기업가치가 두 배로 뛰었다. 별솔바이오는 시리즈A 이후 임상을 늘렸다.",
           day="2024-09-02"),
    report("storm", "태풍 피해로 섬 관광객 발 묶여",
           "섬에 머물던 우리 관광객 수백명이 태풍 피해로 발이 묶였다. 섬 공항은 태풍 피해로 이틀째 "
           "닫혀 있다. 관광객들은 태풍이 지나간 섬에서 귀국 편을 기다리고 있다. 제30호 태풍 ‘솔바람’은 "
           "지난 주말 섬을 지나 북상했다.", day="2024-09-20"),
    report("sizes", "다온AI, 언어모델 '누리말' 두 종 공개",
           "다온AI가 언어모델 누리말을 공개했다. 모델은 매개변수 700억개 규모의 서버용 모델(70B)과 "
           "휴대폰에서 돌아가는 13억개 규모의 작은 모델(1.3B) 두 가지다. 누리말은 누구나 내려받을 수 있다.", day="2024-10-02"),
    report("chipmaker", "다온칩, 상장 추진",
           "다온칩이 내년 상장을 추진한다. 업계 관계자는 \"국내 반도체 스타트업들의 기업가치가 잇따라 "
           "1조원을 넘어서고 있지만 결국 매출로 증명해야 한다\"고 말했다.", day="2024-11-02"),
    report("vacation", "대통령, 다음 주 여름휴가", "대통령이 다음 달 2일부터 닷새 일정으로 "
           "여름휴가를 떠난다. 휴가 중에도 현안은 매일 보고받을 예정이다."),
    report("mini", "가온AI, 경량 모델 'Sori Mini 1.2B' 공개",
           "가온AI가 경량 언어모델 'Sori Mini 1.2B'를 오픈소스로 내놨다. Sori Mini 1.2B는 약 "
           "12억개의 매개변수를 갖춘 소형 모델이다. 가온AI는 소리 브랜드를 지난해 처음 선보였다.",
           day="2024-12-02"),
    report("valuation", "새빛반도체, 시리즈C 투자 유치 나서",
           "AI 반도체 기업 새빛반도체가 시리즈C 투자 유치에 나섰다. 투자업계에 따르면 이번 라운드에서 "
           "거론되는 새빛반도체의 투자 전 기업가치는 1조2000억원 수준이다. 업계 관계자는 \"국내 반도체 "
           "기업들의 기업가치가 잇따라 1조원을 넘었지만 시장의 평가는 결국 매출로 받게 될 것\"이라고 말했다.",
           day="2024-12-03"),
    report("summit", "세 나라 외교장관, 해양 협력 공동성명 채택",
           "세 나라 외교장관이 9일 해양 안전과 불법 조업 단속 협력을 다짐하는 공동성명을 채택했다. 지역 "
           "외교장관회의에 참석 중인 가람국 외교장관과 누리국 외교장관, 다온국 외무상은 이날 오후 회의장을 "
           "옮겨 태국 방콕 시암호텔에서 세 나라 외교장관 회담을 열었다. 세 장관은 다음 회담을 내년에 "
           "열기로 했다.", day="2024-12-04"),
    report("dinner", "가온 부총리·나래 총재, 국감 중 깜짝 만찬",
           "가온 경제부총리와 나래 중앙은행 총재가 오늘 국정감사 정회 시간을 이용해 깜짝 만찬 회동을 "
           "했습니다. 두 사람은 이날 오후 7시부터 약 한시간 동안 서울 광화문 한 한정식집에서 식사하며 경제 현안에 "
           "관해 이야기를 나눴습니다. 자세한 내용은 누리방송 경제부 취재진이 전해 드립니다.",
           day="2024-12-05"),
    report("ethics", "윤리자문위, 김하람 의원 제명 권고", "국회 윤리특위가 김하람 의원 징계 심사에 들어간다. "
           "국회 윤리자문위원회는 전날 김 의원에 대해 "
           "제명을 권고했다. 김 의원은 이날 입장문을 내고 제명 권고에 유감을 표했다. 김 의원 측은 "
           "소명 자료를 다시 내겠다고 밝혔다.", day="2024-12-06"),
    report("ethics-brief", "자문위, 회의 결과 브리핑",
           "표상훈 윤리자문위원장은 이날 회의 결과 브리핑에서 김하람 의원에 대해 제명을 권고하기로 했다고 "
           "밝혔다. 자문위는 결과를 윤리특별위원회에 넘긴다.", day="2024-12-05"),
    report("forum", "DN텔레콤, 데이터센터 전략 발표",
           "차영상 DN텔레콤 대표가 4일 서울에서 열린 'DN 포럼'에서 '데이터 고속도로' 구상을 내놨다. "
           "차 대표는 전국에 데이터센터를 잇겠다고 말했다."),
    report("seed-open", "누리AI, 경량 모델 '새싹' 3종 오픈소스 공개",
           "누리AI가 경량 언어모델 '새싹' 3종을 15일 오픈소스로 공개했다. 누리AI는 2022년 5월 "
           "언어모델 별빛을 처음 선보인 이후 모델을 꾸준히 내놓고 있다.", day="2024-07-15"),
    report("put-off", "다솜로봇, 모델 대신 서비스로 승부",
           "다솜로봇은 지난해 여러 차례 로봇 두뇌 모델 공개 일정을 미뤘다. 회사는 이번에는 모델보다 "
           "서비스 성과로 평가받겠다고 밝혔다.", day="2024-07-20"),
    report("third", "가온AI연구원, '누리온 3.0' 공개",
           "가온AI연구원이 언어모델 '누리온 3.0'을 9일 공개했다. 공개된 모델은 연구 목적으로 쓸 수 있다. "
           "누리온 3.0은 2021년 첫 모델을 선보인 이후 약 3년 만에 나온 세 번째 버전이다.", day="2024-08-10"),
]


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    db = open_db(tmp_path_factory.mktemp("trust") / "store.db")
    report_ = ingest_items(db, ARTICLES)
    assert report_.failed == 0
    return Services(db)


def first_line(services: Services, question: str) -> str:
    return answer_question(services, question).visible.split("\n")[0]


def cited(services: Services, question: str) -> str:
    reply = answer_question(services, question)
    article = services.db.execute("SELECT url FROM articles WHERE id = ?",
                                  [reply.article_ids[0]]).fetchone()[0]
    return article.rsplit("/", 1)[1]


def test_a_request_is_not_an_issue_and_the_reply_says_it_found_none(services: Services) -> None:
    line = first_line(services, "한지석 전 대표 구속영장 발부된 날짜 언제야?")
    assert line.startswith(ABSTAIN_TEXT) and "27일" not in line
    reply = answer_question(services, "한지석 전 대표 구속영장 발부된 날짜 언제야?")
    assert "청구" in reply.visible  # the nearest passage is still shown, as the nearest


def test_a_value_in_another_unit_is_not_put_up_front(services: Services) -> None:
    line = first_line(services, "누리당 지지율 몇 %였어?")
    assert line.startswith("31%"), line
    assert not line.startswith("5세")


def test_a_date_of_the_first_time_is_not_answered_with_a_later_one(services: Services) -> None:
    """'언제 처음 공개했어?' over '…15일 공개했다. … 2022년 5월 별빛을 처음 선보인': 15일 is a
    later release, so it is not put up front as when it was first done."""
    reply = answer_question(services, "누리AI는 언제 처음 모델 공개했어?")
    line = reply.visible.split("\n")[0]
    assert not line.startswith(("15일", "2024년 7월 15일")), line
    assert "2022년 5월" in reply.visible
    # Asked without 처음, the newest release answers.
    assert first_line(services, "누리AI 새싹 언제 공개했어?").startswith("2024년 7월 15일")


def test_when_it_was_put_off_is_not_when_it_was_done(services: Services) -> None:
    """'지난해 … 공개 일정을 미뤘다' says when the release was put off: no answer to when it
    was released, and the answer to when it was put off."""
    line = first_line(services, "다솜로봇 두뇌 모델 언제 공개했어?")
    assert not line.startswith(("2023년", "지난해")), line
    assert first_line(services, "다솜로봇 모델 공개 언제 미뤘어?").startswith("2023년")


def test_a_length_of_time_or_the_time_counted_from_is_not_when(services: Services) -> None:
    """'2021년 첫 모델을 선보인 이후 약 3년 만에 나온': neither 3년 (how long) nor 2021년
    (what it counts from) is when 누리온 3.0 came out; asked how long, 3년 answers."""
    line = first_line(services, "누리온 3.0 언제 나왔어?")
    assert not line.startswith(("3년", "2021년")), line
    assert first_line(services, "누리온 3.0 몇 년 만에 나왔어?").startswith("3년")
    told = "누리온 3.0은 2021년 첫 모델을 선보인 이후 약 3년 만에 나온 세 번째 버전이다."
    assert [m.group() for m in kind_values(told, "date", "누리온 3.0 언제 나왔어?")] == []
    assert [m.group() for m in kind_values(told, "date", "누리온 3.0 몇 년 만에 나왔어?")] == ["2021년", "3년"]
    # What happened at the time counted from may be what is asked.
    law = "법은 2026년 1월 22일 시행 이후 계도기간을 둔다."
    assert [m.group() for m in kind_values(law, "date", "법 언제 시행돼?")] == ["2026년", "1월", "22일"]
    # A day before a word that starts with 간 or 내 is a date ('7일 간담회', '7일 내놓은').
    for said in ("가온AI연구원은 7일 간담회를 열었다.", "가온AI연구원이 7일 내놓은 모델이다."):
        assert [m.group() for m in kind_values(said, "date", "언제 나왔어?")] == ["7일"]


def test_when_a_demo_model_came_out_is_its_release_day(demo_services: Services) -> None:
    """The demo corpus's 엑사원 3.0 report answered '3년이에요' (the years since the first
    model) until lengths of time and the times they count from stopped being dates."""
    line = answer_question(demo_services, "엑사원 3.0 언제 나왔어?").visible.split("\n")[0]
    assert line.startswith("2024년 8월 7일이에요."), line


def test_the_role_asked_about_names_the_person(services: Services) -> None:
    line = first_line(services, "사교육 지시 브리핑한 교육부 장관 누구?")
    assert not line.startswith("대통령")


def test_a_question_over_a_span_is_answered_with_the_total(services: Services) -> None:
    line = first_line(services, "27~28일 이틀 동안 군 수송기로 빠져나온 우리 국민 몇 명이야?")
    assert line.startswith("490여명"), line


def test_a_count_of_something_else_is_not_the_figure_asked_for(services: Services) -> None:
    reply = answer_question(services, "별꽃 2 매개변수 몇 개야?")
    assert not reply.visible.startswith("5개")


def test_a_figure_of_another_named_owner_is_not_put_up_front(services: Services) -> None:
    """'다온톡은 … 3,120만명' is the messenger's figure, not the 별빛 app's."""
    line = first_line(services, "별빛 앱 월간 이용자 몇 명이야?")
    assert line.startswith(ABSTAIN_TEXT) and "3,120만명" not in line, line
    assert first_line(services, "다온톡 월간 이용자 몇 명이야?").startswith("3,120만명"), \
        first_line(services, "다온톡 월간 이용자 몇 명이야?")


def test_a_duration_in_two_units_and_a_date_asked_with_its_particle(services: Services) -> None:
    assert first_line(services, "대통령 기자단 산행 몇 년 몇 개월 만이었어?").startswith("1년 5개월")
    assert "5월 18일이에요" in first_line(services, "국무부가 올린 첫 사진 날짜가 언제로 돼 있어?")


def test_a_where_the_passage_names_no_place_for_is_shown_only_as_the_nearest(
        services: Services) -> None:
    """The article says the president leaves on holiday, not where: its passage is not
    offered as the answer."""
    reply = answer_question(services, "대통령 여름휴가 어디서 보내?")
    assert reply.visible.startswith(ABSTAIN_TEXT), reply.visible
    assert "여름휴가" in reply.visible  # the nearest passage is still shown, as the nearest


def test_a_how_much_no_article_states_of_what_was_asked_is_only_the_nearest(
        services: Services) -> None:
    """Nothing holds the year or the cost asked about: the article's passage is offered only
    as the nearest."""
    reply = answer_question(services, "대통령 2024년 여름휴가 비용 얼마야?")
    assert reply.visible.startswith(ABSTAIN_TEXT) and "여름휴가" in reply.visible, reply.visible


def test_a_name_the_articles_read_as_surname_and_noun_is_found(services: Services) -> None:
    """The article's analysis reads 차영상 as 차 + 영상: the name is no unknown word."""
    reply = answer_question(services, "차영상 대표가 내놓은 구상 뭐야?")
    assert not names_unknown_words(reply) and not reply.visible.startswith(ABSTAIN_TEXT)
    assert "데이터 고속도로" in reply.visible, reply.visible


def test_a_figure_bracketed_after_the_name_asked_about_is_its_own(services: Services) -> None:
    """'누리은행(200억원)': the bank's share, not the round's 900억원."""
    for question in ("다온칩 투자에 누리은행은 얼마 넣었어?", "누리은행은 다온칩에 얼마 투자했어?"):
        line = first_line(services, question)
        assert line.startswith("200억원"), (question, line)
    assert first_line(services, "다온칩 투자 유치 규모 얼마야?").startswith("900억원")


def test_a_figure_put_on_the_asked_thing_answers_how_it_was_valued(services: Services) -> None:
    """'얼마로 평가받아?' only asks the figure put on it: the sentence that states the value
    need not say 평가, and a quoted figure of the group the best passage holds gives way to
    the article's passage that states the asked one."""
    assert first_line(services, "새빛반도체 기업가치 얼마로 평가받아?").startswith("1조2000억원이에요")


def test_a_newer_figure_of_another_measure_does_not_revise_the_asked_one(
        services: Services) -> None:
    """The newer article's 2000억원 is the valuation at 시리즈A, not the round's 500억원."""
    line = first_line(services, "별솔바이오 시리즈A 규모 얼마야?")
    assert line.startswith("500억원"), line


def test_a_name_asked_of_a_noun_is_the_one_quoted_beside_it(services: Services) -> None:
    reply = answer_question(services, "섬 관광객 발 묶인 태풍 이름이 뭐였지?")
    assert "솔바람" in reply.visible, reply.visible


def test_two_sizes_asked_are_both_shown_and_neither_alone_up_front(services: Services) -> None:
    reply = answer_question(services, "누리말 모델 두 개 크기 알려줘")
    assert "700억개" in reply.visible and "13억개" in reply.visible, reply.visible
    assert not reply.html.startswith("<b>"), reply.visible
    assert read_question("누리말 모델 크기 알려줘").kind == "amount"  # a size is an amount


def test_a_quoted_figure_of_a_group_is_no_figure_of_the_one_asked(services: Services) -> None:
    """'스타트업들의 기업가치가 … 1조원을' in a quote is the sector's, not 다온칩's."""
    line = first_line(services, "다온칩 기업가치 얼마야?")
    assert not line.startswith("1조원"), line


def test_a_latin_name_typed_as_it_sounds_is_found() -> None:
    from analysis.romanize import latin_spellings
    assert "kanana" in latin_spellings("카나나") and "nano" in latin_spellings("나노")
    assert "seed" in latin_spellings("시드") and latin_spellings("Nano") == ()


def test_a_model_typed_in_hangul_is_the_one_articles_write_in_latin(services: Services) -> None:
    """'소리 미니' is Sori Mini as it sounds; its size is its parameter count."""
    assert first_line(services, "소리 미니 크기 몇이야?").startswith("약 12억개예요")
    # A word both scripts hold needs no Latin spelling ('소리' alone is the Hangul brand).
    assert cited(services, "소리 브랜드 언제 처음 선보였어?") == "mini"


def test_where_an_event_took_place_is_not_a_country_named_otherwise(
        tmp_path_factory: pytest.TempPathFactory) -> None:
    """The article names Russia as the president's country and China and the US as later
    visits, never where the summit is held: its passage is only the nearest."""
    db = open_db(tmp_path_factory.mktemp("venue") / "store.db")
    ingest_items(db, [report(
        "summit-talk", "북러 정상회담 임박설…외무성 부상 방러",
        "북한 외무성 부상이 14일 러시아를 방문했다. 이번 방문은 김정은 국무위원장과 블라디미르 "
        "푸틴 러시아 대통령의 정상회담 가능성이 거론되는 가운데 이뤄졌다. 정부 당국자는 김 위원장이 "
        "정상회담을 계기로 연말까지 중국, 미국과의 외교에도 나설 수 있다고 내다봤다.")])
    reply = answer_question(Services(db), "김정은 푸틴 정상회담 어디서 열렸어?")
    assert reply.visible.startswith(ABSTAIN_TEXT), reply.visible
    assert "정상회담" in reply.visible


def test_a_place_said_late_in_the_next_sentence_is_shown(services: Services) -> None:
    """'어디서 채택했어?': the stating sentence says what, the next one says where, in its
    last clause; the snippet takes in that clause, not the next sentence's opening."""
    assert "방콕" in answer_question(services, "세 나라 외교장관 공동성명 어디서 채택했어?").visible


def test_where_it_happened_is_answered_by_a_place_before_a_body(services: Services) -> None:
    """'어디서 했어?' asks a place: the passage naming 광화문 beats one naming a broadcaster."""
    assert "한정식집" in answer_question(services, "가온 나래 국감 중 깜짝 만찬 어디서 했어?").visible


def test_a_short_form_of_the_person_asked_about_is_no_answer(services: Services) -> None:
    """'김 의원' after a question about 김하람 is 김하람 himself, not a likely answer to who
    recommended it; the committee's chair is."""
    from answer.retrieval import retrieve
    found = retrieve(services.db, read_question("김하람한테 제명 권고한 윤리자문위원장 누구?"))
    likely = {e.article.url.rsplit("/", 1)[1]: [a for found in e.answers.values() for a in found]
              for e in found.evidence}
    assert "ethics" in likely and not any(a.split()[0] == "김" for a in likely["ethics"]), likely
    assert any("표상훈" in a for a in likely["ethics-brief"]), likely
    reply = answer_question(services, "김하람한테 제명 권고한 윤리자문위원장 누구?")
    assert reply.visible.startswith("표상훈"), reply.visible


def test_a_series_letter_names_that_round_only(services: Services) -> None:
    """'시리즈C' is not the 시리즈A or 시리즈B the articles report: no answer, the nearest."""
    from answer.question import named_versions
    assert named_versions("별솔바이오 시리즈C는 언제 해?") == (("시리즈", "C"),)
    reply = answer_question(services, "별솔바이오 시리즈C는 언제 해?")
    assert reply.visible.startswith(ABSTAIN_TEXT), reply.visible
    assert first_line(services, "별솔바이오 시리즈A 얼마 유치했어?").startswith("500억원")


def test_news_shorthand_finds_the_full_name(services: Services) -> None:
    assert cited(services, "국힘이 수해 복구하라고 낸 성금 얼마야?") == "party"
    question = read_question("국힘 성금 얼마야?")
    assert question.alternatives["국힘"] == ("국민의힘",)
    # Whole words only: a longer word that starts like a shorthand is not it.
    assert "한은" not in read_question("한은행 소식").alternatives


def test_a_short_form_the_article_defines_is_stored_and_used(services: Services) -> None:
    assert find_abbreviations("한국은행 금융통화위원회(금통위)는") == [
        find_abbreviations("금융통화위원회(금통위)")[0]]
    assert find_abbreviations("관광객(사진=연합뉴스)") == []
    line = first_line(services, "금통위 다음 회의 언제 열려?")
    assert "30일" in line and not line.startswith(ABSTAIN_TEXT)
    assert cited(services, "금통위 다음 회의 언제 열려?") == "bank"


def test_a_typo_in_a_name_is_read_as_the_name(services: Services) -> None:
    assert nearest_known_term(services.db, "하람렙") == "하람랩"
    assert nearest_known_term(services.db, "자동차") == ""  # nothing one slip away
    question = repair_terms(services.db, read_question("하람렙 AI 비서 출시 언제야?"))
    assert "하람랩" in question.terms and question.corrected == {"하람렙": "하람랩"}
    reply = answer_question(services, "하람렙 AI 비서 출시 언제야?")
    assert cited(services, "하람렙 AI 비서 출시 언제야?") == "startup"
    assert not names_unknown_words(reply)


def test_a_deed_in_other_words_finds_the_sentence(services: Services) -> None:
    # 뽑혔어 for 선정됐다: the kin of the question's verb weighs in.
    reply = answer_question(services, "7월의 과학자상 뽑힌 사람 누구야?")
    assert cited(services, "7월의 과학자상 뽑힌 사람 누구야?") == "award"
    assert "윤서하" in reply.visible and not names_unknown_words(reply)


def test_the_note_names_only_names_and_nouns(services: Services) -> None:
    for question in ("작년 과학자상 뽑혔어?", "하람랩 자세히 알려줘", "누리당 지지율 제일 높았어?"):
        first = answer_question(services, question).visible.split("\n")[0]
        for word in ("뽑히", "작년", "자세히", "제일"):
            assert word not in first or not first.startswith("‘"), (question, first)


def test_a_name_kiwi_breaks_up_is_looked_for_as_spelled(services: Services) -> None:
    question = repair_terms(services.db, read_question("민새롬 전 의원 의원직 잃은 벌금형 얼마야?"))
    assert "민새롬" in question.terms
    line = first_line(services, "민새롬 전 의원 의원직 잃은 벌금형 얼마야?")
    assert "300만원" in line, line


def test_every_value_up_front_comes_from_the_cited_article(services: Services) -> None:
    questions = ["누리당 지지율 몇 %였어?", "국힘이 낸 성금 얼마야?", "금통위 다음 회의 언제 열려?",
                 "27~28일 이틀 동안 빠져나온 국민 몇 명이야?", "민새롬 벌금형 얼마야?"]
    heads = 0
    for question in questions:
        reply = answer_question(services, question)
        head = re.match(r"(.{1,30}?)(?:이에요|예요)\. ", reply.visible)
        if head is None:
            continue
        heads += 1
        body = services.db.execute("SELECT body FROM articles WHERE id = ?",
                                   [reply.article_ids[0]]).fetchone()[0]
        digits = re.findall(r"\d+", head.group(1))
        assert digits and all(d in body for d in digits), (question, head.group(1))
    assert heads >= 3


def test_a_newer_report_of_the_same_date_answers_without_a_revision(fresh_db) -> None:
    # Two reports of one story give one date: the newer answers, and no earlier figure is
    # named (there was a crash here when a date needed no revision note).
    ingest_items(fresh_db, [
        report("phone-1", "누리전자 접는 폰 출시 일정 공개",
               "누리전자가 접는 폰 출시 일정을 공개했다. 누리전자는 접는 폰을 9월 10일 출시한다. "
               "누리전자 접는 폰의 출시 일정은 업계의 관심사였다.", day="2024-07-01"),
        report("phone-2", "누리전자 접는 폰 출시 일정 확정",
               "누리전자 접는 폰은 9월 10일 출시된다.", day="2024-07-05"),
    ])
    reply = answer_question(Services(fresh_db), "누리전자 접는 폰 출시 언제야?")
    assert "9월 10일" in reply.visible and "이전 보도" not in reply.visible


def test_a_sentence_counting_several_things_names_no_earlier_figure(fresh_db) -> None:
    """'승객 132명 가운데 90명이 구조됐다' counts two things; the 21명 an earlier report of the
    story counted (the first rescued) is no earlier figure of the 132, so no '이전 보도' note."""
    def told(slug: str, title: str, body: str, when: str) -> ArticleInput:
        return ArticleInput(title=title, body=body, url=f"https://t.example.com/{slug}",
                            publisher="가람일보", published_at=when)

    ingest_items(fresh_db, [
        told("first", "바람섬 여객선 좌초…고립 승객 일부 구조",
             "바람섬 앞바다에서 좌초한 여객선에 고립됐던 승객 21명이 먼저 구조됐다. 해경은 나머지 "
             "승객을 구조하고 있다. 사고는 오전 8시께 일어났다.", "2025-07-01T10:00:00+09:00"),
        told("later", "바람섬 좌초 여객선 고립 승객 구조 계속",
             "바람섬 앞바다에서 좌초한 여객선에 고립됐던 승객 132명 가운데 90명이 구조됐다. 해경은 "
             "나머지 승객을 구조하고 있다. 사고는 오전 8시께 일어났다.", "2025-07-01T15:00:00+09:00"),
    ])
    stories = {r[0] for r in fresh_db.execute("SELECT story_id FROM articles")}
    assert len(stories) == 1  # one story: a revision note would be allowed between them
    reply = answer_question(Services(fresh_db), "바람섬 여객선에 고립된 승객 몇 명이야?")
    assert reply.visible.startswith("132명이에요.") and "이전 보도" not in reply.visible, reply.visible
