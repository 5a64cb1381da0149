"""/ask over a small store of articles written for these tests (tests/fixtures/ask)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from answer.question import read_question
from answer.snippet import ANSWER_LIMIT
from handlers.ask import answer_question, ask, is_abstention
from handlers.format import opening_end
from handlers.services import ChatContext, Services
from ingest.article_input import ArticleInput
from ingest.corpus import read_corpus
from ingest.pipeline import ingest_items
from store.articles import find_article, sentences_of
from store.db import open_db

FIXTURE = Path(__file__).parent / "fixtures" / "ask" / "news.jsonl"


@pytest.fixture(scope="module")
def services(tmp_path_factory: pytest.TempPathFactory) -> Services:
    db = open_db(tmp_path_factory.mktemp("ask") / "store.db")
    report = ingest_items(db, read_corpus(FIXTURE))
    assert report.failed == 0
    return Services(db)


def news(slug: str, title: str, body: str, day: str = "2025-03-01") -> ArticleInput:
    """An article written for one test, at https://a.example.com/<slug>."""
    return ArticleInput(title=title, url=f"https://a.example.com/{slug}", publisher="가",
                        published_at=f"{day}T09:00:00+09:00", body=body)


def article_id(services: Services, source_id: str) -> int:
    found = find_article(services.db, source_id)
    assert found is not None
    return found.id


def answer_part(visible: str) -> str:
    return "\n".join(line for line in visible.split("\n") if not line.startswith("📰"))


def test_amount_question_answers_with_the_figure_and_its_source(services: Services) -> None:
    reply = answer_question(services, "나르미는 한 번 충전으로 몇 시간 움직여?")
    assert not is_abstention(reply)
    assert "12시간" in reply.visible
    assert reply.article_ids[0] == article_id(services, "ask-001")
    assert "새봄일보" in reply.visible and "2024-03-04" in reply.visible
    assert 'href="https://example.com/ask/001"' in reply.html
    assert len(answer_part(reply.visible)) <= ANSWER_LIMIT + 30  # value line + snippet


def test_date_question_prefers_the_sentence_with_a_date(services: Services) -> None:
    reply = answer_question(services, "은하항공 제주 노선 첫 운항은 언제야?")
    assert "6월 20일" in reply.visible
    assert reply.article_ids[0] == article_id(services, "ask-004")


def test_place_question_finds_where(services: Services) -> None:
    reply = answer_question(services, "나르미가 처음 배치되는 곳은 어디야?")
    assert "평택" in reply.visible


def test_person_question_finds_who(services: Services) -> None:
    reply = answer_question(services, "한별로보틱스 대표는 누구야?")
    assert "윤가람" in reply.visible


def test_question_kinds() -> None:
    assert read_question("첫 운항은 언제야?").kind == "date"
    assert read_question("몇 시간 움직여?").kind == "amount"
    assert read_question("투자 규모는?").kind == "amount"
    assert read_question("대표는 누구야?").kind == "person"
    assert read_question("어디에 배치돼?").kind == "place"
    assert read_question("몇 년 동안 개발했어?").kind == "amount"
    assert read_question("왜 늘었어?").kind == "other"


def test_weak_evidence_abstains_and_offers_search(services: Services) -> None:
    reply = answer_question(services, "화성 이주 계획은?")
    assert is_abstention(reply)
    assert "/search 화성 이주 계획" in reply.visible
    assert reply.article_ids == []
    # The suggestion is written as the question wrote its words, ready to send.
    reply = answer_question(services, "LG에너지솔루션 배터리 공장 위치는?")
    assert is_abstention(reply) and "/search LG에너지솔루션 배터리 공장 위치" in reply.visible


def test_a_later_story_answers_with_its_figure_and_no_revision_note(services: Services) -> None:
    from answer.retrieval import repair_terms

    # The question's analysis reads 신약 as a prefix and 약, the articles' as one noun.
    question = repair_terms(services.db, read_question("푸른들제약 신약 임상 투자 규모는 얼마야?"))
    assert "신약" in question.terms and "약" not in question.terms
    reply = answer_question(services, "푸른들제약 신약 임상 투자 규모는 얼마야?")
    newer = article_id(services, "ask-003")
    assert reply.article_ids[0] == newer
    first_line = reply.visible.split("\n")[0]
    assert first_line.startswith("1200억원")
    # May's 800억원 and September's 1200억원 are two stories (a follow-up months later):
    # the note compares articles of one story only.
    assert "이전 보도" not in reply.visible


def test_a_revised_figure_of_the_same_story_names_the_earlier_one(fresh_db) -> None:
    # A 속보 and its 종합 an hour later, from two outlets, give another count.
    ingest_items(fresh_db, [
        ArticleInput(
            title="[속보] 한들시 물류창고 화재…부상자 3명", url="https://a.example.com/fire-1",
            publisher="가", published_at="2025-04-02T09:10:00+09:00",
            body="2일 오전 한들시 물류창고에서 불이 나 부상자 3명이 병원으로 옮겨졌다.\n"
                 "소방당국은 대응 1단계를 발령하고 불을 끄고 있다."),
        ArticleInput(
            title="한들시 물류창고 화재, 부상자 7명으로 늘어(종합)", url="https://b.example.com/fire-2",
            publisher="나", published_at="2025-04-02T10:20:00+09:00",
            body="2일 오전 한들시 물류창고에서 난 불로 부상자가 7명으로 늘었다.\n"
                 "소방당국은 대응 1단계를 발령해 불길을 잡았으며 정확한 화재 원인을 조사하고 있다.\n"
                 "창고 안에 있던 작업자 40여명은 스스로 대피했다."),
    ])
    stories = {r[0] for r in fresh_db.execute("SELECT story_id FROM articles")}
    assert len(stories) == 1  # one story
    reply = answer_question(Services(db=fresh_db), "한들시 물류창고 화재 부상자는 몇 명이야?")
    first_line = reply.visible.split("\n")[0]
    assert first_line.startswith("7명")
    assert "(이전 보도: 3명)" in first_line


def test_every_number_in_the_answer_comes_from_a_cited_article(services: Services) -> None:
    for question in ("푸른들제약 신약 임상 투자 규모는 얼마야?", "나르미는 한 번 충전으로 몇 시간 움직여?",
                     "전기 트럭 양산은 언제 시작해?"):
        reply = answer_question(services, question)
        cited = " ".join(" ".join(sentences_of(services.db, a)) for a in reply.article_ids[:2])
        for number in re.findall(r"\d[\d,.]*", answer_part(reply.visible)):
            assert number.rstrip(".,") in cited, (question, number)


@pytest.mark.parametrize(
    "text",
    [
        '"나르미" OR NOT *', "나르미 NEAR(배터리 5)", "^대표: 누구", "((( ))) \"\"",
        "<b>나르미</b> <script>alert(1)</script> 몇 시간?", "a&b <i>", "", "   ", "?!",
        "나르미' ; DROP TABLE articles; --",
    ],
)
def test_fts_syntax_and_html_in_questions_never_raise(services: Services, text: str) -> None:
    reply = answer_question(services, text)
    assert "<script>" not in reply.html
    assert "<b>나르미</b>" not in reply.html or "12시간" in reply.visible
    assert reply.visible.strip()


def test_follow_up_prefers_the_earlier_articles(services: Services) -> None:
    battery = article_id(services, "ask-005")
    truck = article_id(services, "ask-006")
    plain = answer_question(services, "그럼 양산은 언제 해?")
    assert plain.article_ids and plain.article_ids[0] == truck
    followed = ask(services, "그럼 양산은 언제 해?", ChatContext(reply_to_articles=[battery]))
    assert followed.article_ids[0] == battery
    assert "내년" in followed.visible


def test_reply_is_short_and_cites_at_most_ten(services: Services) -> None:
    reply = answer_question(services, "달빛전자 배터리 충전 속도는?")
    assert len(reply.article_ids) <= 10
    assert len(set(reply.article_ids)) == len(reply.article_ids)
    assert len(answer_part(reply.visible)) <= ANSWER_LIMIT + 30


def test_a_figure_of_another_version_is_not_called_a_revision(fresh_db) -> None:
    from ingest.pipeline import ingest_items

    ingest_items(fresh_db, [
        ArticleInput(
            title="별샘랩, 언어모델 별샘 2.0 개발 착수", url="https://a.example.com/1", publisher="가",
            published_at="2023-05-01T09:00:00+09:00",
            body="별샘랩이 언어모델 별샘 2.0 개발에 나섰다. 1세대 별샘은 40억개의 매개변수를 갖춘 모델이었다.\n"
                 "회사는 새 모델의 공개 시점을 밝히지 않았다."),
        ArticleInput(
            title="별샘 2.0, 매개변수 200억개로 공개", url="https://b.example.com/2", publisher="나",
            published_at="2024-02-01T09:00:00+09:00",
            body="별샘랩이 언어모델 별샘 2.0을 공개했다. 별샘 2.0의 매개변수는 200억개다.\n"
                 "회사는 기업 고객부터 모델을 제공한다."),
    ])
    reply = answer_question(Services(db=fresh_db), "별샘 2.0 매개변수는 몇 개야?")
    assert "200억개" in reply.visible.split("\n")[0]
    assert "이전 보도" not in reply.visible  # 40억개 was the first model's, not a revision


def _one_article(fresh_db, title: str, body: str, question: str, first: str):
    """The retrieval for `question` over a store of one article, its evidence, and the
    article's sentence starting with `first`."""
    from answer.retrieval import retrieve

    ingest_items(fresh_db, [news("one", title, body, day="2025-04-02")])
    found = retrieve(fresh_db, read_question(question))
    evidence = found.evidence[0]
    return found, evidence, next(s for s in evidence.others if s.text.startswith(first))


def test_room_a_short_snippet_leaves_shows_the_next_best_piece(fresh_db) -> None:
    from answer.snippet import Snippet, hedged

    found, evidence, first = _one_article(
        fresh_db, "누리로보틱스, 물류 로봇 '나래' 공개",
        "누리로보틱스가 창고용 물류 로봇 나래를 2일 공개했다. 나래의 설계를 이끈 연구소장의 "
        "이력도 눈길을 끈다.\n회사에 따르면 공학자 출신인 한지우 연구소장은 예전에 자율주행 "
        "스타트업을 세워 매각한 경험이 있으며, 3년 전 회사에 합류한 뒤 나래 개발을 처음부터 "
        "맡아 왔고 하반기에는 후속 모델 개발도 지휘한다.",
        "나래 설계를 이끈 연구소장의 이력은?", "나래의 설계")
    snippet = Snippet(first.text, 1.0, first)
    shown = hedged(snippet, evidence, found.question).text
    # The best piece keeps its place, first; the room after it shows where the other
    # sentence speaks of the same person, within the limit.
    assert shown.startswith(first.text + " …")
    assert "한지우 연구소장" in shown and "스타트업" in shown
    assert len(shown) <= ANSWER_LIMIT
    # No room, no piece.
    assert hedged(snippet, evidence, found.question, limit=len(first.text) + 10).text == first.text


def test_a_snippet_that_fills_the_limit_shares_it_only_when_unsure(fresh_db) -> None:
    from answer.snippet import Snippet, hedged

    found, evidence, first = _one_article(
        fresh_db, "한빛중공업, 수소 선박 엔진 시험 성공",
        "한빛중공업이 경남 거제 조선소에서 수소 연료전지로 움직이는 선박 엔진의 해상 시험을 "
        "마쳤으며, 회사는 이번 시험에서 연속 운전 시간과 출력 안정성 등 주요 지표가 모두 "
        "목표치를 넘었다고 설명하면서 상용화 일정도 앞당기겠다고 밝혔다.\n"
        "시험을 이끈 사람은 회사 선박연구소의 오세린 수석연구원으로, 그는 지난 2021년부터 "
        "수소 엔진 개발팀을 맡아 왔고 이번 엔진의 냉각 설계도 직접 주도한 것으로 알려졌다.",
        "한빛중공업 수소 선박 엔진 해상 시험을 이끈 사람은?", "한빛중공업이")
    snippet = Snippet(first.text[: ANSWER_LIMIT - 2] + "…", 1.0, first)  # no room left
    # Sure of its choice: the snippet stays as it is.
    sure = replace(snippet, score=snippet.score + 10)
    assert hedged(sure, evidence, found.question).text == sure.text
    # Unsure: both sentences get a piece, within the limit.
    unsure = replace(snippet, score=-10.0)
    shown = hedged(unsure, evidence, found.question).text
    assert len(shown) <= ANSWER_LIMIT and shown.count("…") >= 1
    assert "한빛중공업" in shown and "오세린" in shown


def test_a_long_sentence_can_be_shown_by_its_start_and_end() -> None:
    from answer.snippet import _head_and_tail

    sentence = ("한빛중공업 대표는 " + "여러 조건을 두루 따져 본 끝에 " * 8
                + "결국 수소 선박 사업을 계속하기로 했다.")
    shown = _head_and_tail(sentence, 30, ANSWER_LIMIT)
    assert len(shown) <= ANSWER_LIMIT
    assert shown.startswith("한빛중공업 대표는")  # who acted...
    assert shown.endswith("계속하기로 했다.")  # ...and what they did
    assert " … " in shown


def test_a_model_name_picks_its_own_article_over_its_siblings(fresh_db) -> None:

    ingest_items(fresh_db, [
        news("x8", "누리폰 X8 사양 공개",
             "누리전자가 새 스마트폰 누리폰 X8의 사양을 공개했다. "
             "누리폰 X8의 배터리 용량은 3800mAh다."),
        # The newer sibling says 8 and X in its answer too: as pieces, it would tie and win.
        news("x9", "누리폰 X9 사양 공개",
             "누리전자가 새 스마트폰 누리폰 X9의 사양을 공개했다. "
             "누리폰 X9의 배터리 용량은 8% 늘어난 4100mAh다.", day="2025-09-01"),
    ])
    reply = answer_question(Services(db=fresh_db), "누리폰 X8 배터리 용량은?")
    assert "3800mAh" in answer_part(reply.visible)
    assert "4100mAh" not in answer_part(reply.visible)
    assert read_question("누리폰 X8 배터리 용량은?").model_names == {"x8"}


def test_a_model_name_the_index_lacks_is_looked_for_by_its_pieces(fresh_db) -> None:
    from answer.retrieval import repair_terms

    # Written apart in the article, the name is indexed as its pieces only (as in a store
    # built before model names were index terms); the question still finds it.
    ingest_items(fresh_db, [news("x9", "누리폰 X 9 사양 공개",
                                 "누리전자가 새 스마트폰 누리폰 X 9의 배터리 용량을 3900mAh로 정했다.",
                                 day="2025-09-01")])
    question = repair_terms(fresh_db, read_question("누리폰 X9 배터리 용량은?"))
    assert "x9" not in question.terms and {"x", "9"} <= set(question.terms)
    reply = answer_question(Services(db=fresh_db), "누리폰 X9 배터리 용량은?")
    assert "3900mAh" in answer_part(reply.visible)


def test_a_piece_naming_the_thing_asked_about_is_worth_more() -> None:
    from answer.snippet import _worth

    question = read_question("결선에 오른 후보는?")
    assert question.head == "후보"
    weights = {"결선": 1.0}  # the same question weight either way: only the head differs
    named = _worth("결선에 오른 후보는 김하늘과 박누리였다.", question, weights=weights)
    unnamed = _worth("결선에 오른 것은 김하늘과 박누리였다.", question, weights=weights)
    assert named > unnamed


def test_a_name_only_the_headline_holds_is_found_without_its_particle(fresh_db) -> None:
    from answer.retrieval import repair_terms

    # Kiwi reads '전현희의' as one noun; the body never names her, only the headline does.
    ingest_items(fresh_db, [
        news("p1", "전현희",
             "경상남도의 한 바닷가 도시 출신으로 부산의 여자고등학교를 졸업했다. "
             "이후 서울의 대학에서 치의학을 공부했다."),
        news("p2", "어느 배우의 첫 무대",
             "그녀는 고등학교 졸업 이후 연기 수업을 받기 시작했다.", day="2025-03-02"),
    ])
    question = repair_terms(fresh_db, read_question("전현희의 출신 고등학교는 어디인가?"))
    assert "전현희" in question.terms and "전현희의" not in question.terms
    reply = answer_question(Services(db=fresh_db), "전현희의 출신 고등학교는 어디인가?")
    assert "부산의 여자고등학교" in answer_part(reply.visible)


def test_a_compound_name_with_its_particle_is_looked_for_as_the_article_writes_it(fresh_db) -> None:
    from answer.retrieval import repair_terms

    ingest_items(fresh_db, [news(
        "c1", "교단 소식", "여러 교파가 하나로 합쳐진 뒤 1930년에 기독교대한감리회라는 이름이 정해졌다.")])
    # Kiwi reads the name with its particle as one unknown noun; without the particle it
    # reads it as the index does.
    assert "기독교대한감리회의" in read_question("기독교대한감리회의 이름이 정해진 해는?").terms
    question = repair_terms(fresh_db, read_question("기독교대한감리회의 이름이 정해진 해는?"))
    assert "기독교대한감리회의" not in question.terms and "기독교" in question.terms


def test_the_noun_asked_about_that_no_article_uses_does_not_make_the_bot_give_up(fresh_db) -> None:

    ingest_items(fresh_db, [
        news("h1", "조선업계 새 얼굴 한도윤",
             "한도윤 한빛중공업 대표는 경상남도 거제에서 태어났다. "
             "한도윤 대표는 조선소 현장 기술자로 일을 시작했다."),
        news("h2", "반도체 수출 늘어",
             "지난달 반도체 수출이 크게 늘었다. 업계는 하반기에도 증가세가 이어질 것으로 본다.",
             day="2025-03-02"),
    ])
    # '출생지' is in no article: it says what kind of answer is wanted, and the answer is
    # written with other words (…에서 태어났다).
    reply = answer_question(Services(db=fresh_db), "한도윤 대표의 출생지는?")
    assert not is_abstention(reply)
    assert "거제에서 태어났다" in answer_part(reply.visible)
    # A question about nothing the store knows is still declined.
    assert is_abstention(answer_question(Services(db=fresh_db), "누리호 발사 날짜는?"))


def test_a_compound_the_articles_hold_only_in_pieces_is_not_answered(fresh_db) -> None:

    ingest_items(fresh_db, [
        news("k1", "반도체 설계사 투자 유치",
             "한 반도체 설계사가 해외 투자은행을 자문사로 정하고 투자자를 찾고 있다. "
             "회사는 한국 시장의 기준을 넘는 성능을 내세웠다."),
        news("k2", "해운사 새 선박 발주",
             "한 해운사가 대한 조선소에 선박 네 척을 발주했다. "
             "발주 금액은 모두 8000억원이다.", day="2025-03-02"),
    ])
    services = Services(db=fresh_db)
    # 한국 and 은행 are each known, never side by side: the question is about something else.
    assert read_question("한국은행 기준은?").compounds == ()  # one noun to Kiwi; split on repair
    assert is_abstention(answer_question(services, "한국은행 기준은?"))
    # Written apart in the question or the article, a compound the article holds answers.
    reply = answer_question(services, "대한조선소 발주 금액은?")
    assert read_question("대한조선소 발주 금액은?").compounds
    assert "8000억원" in answer_part(reply.visible)
    # The answering article writing the compound as one word, whatever Kiwi made of it
    # there (a rare name it reads apart, punctuation between), also attests it.
    from answer.retrieval import _stats_for, retrieve, unattested_pieces

    found = retrieve(fresh_db, read_question("한국은행 기준은?"))
    top, weights = found.evidence[0], found.question.weights
    pieces = (("한국", "은행"),)
    stats = _stats_for(fresh_db)
    assert unattested_pieces(fresh_db, stats, pieces, weights, set(), top) == {"한국", "은행"}
    written = replace(top.others[0], text="한국·은행 관계자가 설명했다.")
    top = replace(top, others=[written, *top.others[1:]])
    assert unattested_pieces(fresh_db, stats, pieces, weights, set(), top) == set()


def test_a_question_with_words_no_article_holds_is_declined_naming_them(fresh_db) -> None:
    from handlers.ask import names_unknown_words

    ingest_items(fresh_db, [
        news("u1", "온라인 장터 이용자 늘어",
             "한 메신저의 월간 이용자 수는 4800만명에 이른다. "
             "회사는 이용자 수가 올해도 늘 것으로 본다."),
        *(news(f"u{i}", f"{topic} 소식",
               f"지난달 {topic} 실적이 크게 늘었다. 업계는 하반기에도 {topic} 증가세가 "
               "이어질 것으로 본다.", day="2025-03-02")
          for i, topic in enumerate(["반도체", "조선", "자동차", "철강", "화학", "항공"], 2)),
    ])
    services = Services(db=fresh_db)
    # '당근마켓' is in no article: the reply declines naming it, then shows the nearest
    # sentence, whose figure is not put up front as if it answered.
    reply = answer_question(services, "당근마켓 월간 이용자 수는?")
    assert is_abstention(reply) and names_unknown_words(reply)
    first, answer = reply.visible.split("\n")[:2]
    assert first == ("이 질문에 확실히 답할 기사를 찾지 못했어요. "
                     "‘당근마켓’은 기사에 나오지 않아요. 가장 가까운 내용이에요.")
    assert not reply.html.split("\n")[1].startswith("<b>") and "4800만명" in answer
    # Every word known: no note, and the figure up front.
    reply = answer_question(services, "메신저 월간 이용자는 몇 명이야?")
    assert not names_unknown_words(reply) and reply.html.startswith("<b>4800만명")


def test_candidate_terms_within_postings_budget() -> None:
    from answer.retrieval import within_budget

    dfs = {"정부": 9000, "예산": 6000, "하람랩": 40, "발표": 12000}
    terms = ["정부", "예산", "하람랩", "발표"]
    # Under the budget every term is a candidate term, in the question's order.
    assert within_budget(terms, dfs, 30_000) == terms
    # Over it, the rarest that fit, still in the question's order; the rest only rerank.
    assert within_budget(terms, dfs, 10_000) == ["예산", "하람랩"]
    assert within_budget(terms, dfs, 6_040) == ["예산", "하람랩"]
    assert within_budget(terms, dfs, 6_039) == ["하람랩"]
    # The rarest term is kept even when it alone is over the budget.
    assert within_budget(["정부", "발표"], dfs, 100) == ["정부"]


def test_an_answer_leaves_out_the_byline_glued_to_its_sentence(tmp_path: Path) -> None:
    """A body flattened to one line glues its subtitle and byline to the first sentence:
    the answer shows the sentence from where the article starts, unless the subtitle holds
    words the question asks with (보도, 해명 in '누리방송 보도 해명')."""
    db = open_db(tmp_path / "store.db")
    assert ingest_items(db, [
        news("cup", "한들시, 일회용 컵 보증금제 내년 도입",
             "반납기 150대 설치 (한들=가람일보) 홍길동 기자 = 한들시가 일회용 컵 보증금을 한 개에 "
             "300원으로 정해 내년 1월부터 받는다고 12일 밝혔다. 시는 반납기를 카페 밀집 지역에 둔다."),
        news("denial", "한들시 \"쓰레기 소각장 이전 검토 사실 아냐\"",
             "누리방송 보도 해명 (한들=가람일보) 김누리 기자 = 한들시는 쓰레기 소각장을 옮기려 한다는 "
             "보도에 대해 사실이 아니라고 12일 밝혔다. 시는 현 부지를 그대로 쓴다."),
    ]).failed == 0
    services = Services(db)
    cup = answer_question(services, "한들시 컵 보증금 얼마야?").visible
    assert "300원" in cup and "기자" not in cup and "반납기 150대" not in cup, cup
    denied = answer_question(services, "소각장 이전 보도 해명했어?")
    assert not is_abstention(denied) and "누리방송 보도 해명" in denied.visible, denied.visible


def test_no_piece_of_an_answer_shows_a_dateline_or_byline(tmp_path: Path) -> None:
    """A subtitle Kiwi reads as a sentence of its own takes the dateline with it, and the
    byline then opens the next piece: neither is shown, wherever it falls in the answer."""
    db = open_db(tmp_path / "store.db")
    assert ingest_items(db, [news(
        "cup2", "한들시, 일회용 컵 보증금 내년부터",
        "반납기 150대 설치…카페 밀집 지역부터 시행. (한들=가람일보) 홍길동 기자 = 한들시가 일회용 컵 "
        "보증금을 한 개에 300원으로 정해 받는다고 12일 밝혔다. 시는 반납기를 카페 밀집 지역에 먼저 둔다.")]).failed == 0
    services = Services(db)
    for asked in ("반납기 몇 대 설치해?", "반납기 150대 어디에 둬?"):
        shown = answer_part(answer_question(services, asked).visible)
        assert "반납기" in shown and "가람일보)" not in shown and "기자 =" not in shown, shown


def test_a_title_that_opens_a_sentence_as_its_subject_is_kept() -> None:
    """A copy of the headline before the first sentence is left out of what is shown, but
    a short title that is the sentence's subject ('캐시 크루즈는 …', '김영삼 정부는 …' in an
    encyclopedia entry of that title) is the sentence itself."""
    copy = "한들시, 일회용 컵 보증금 내년 도입"
    said = f"{copy} 한들시가 일회용 컵 보증금을 300원으로 정했다고 12일 밝혔다."
    assert said[opening_end(said, copy):] == "한들시가 일회용 컵 보증금을 300원으로 정했다고 12일 밝혔다."
    assert opening_end("캐시 크루즈는 1883년 브레슬라우에서 태어났다.", "캐시 크루즈") == 0
    assert opening_end("김영삼 정부는 경수로 건설비용의 70%를 부담했다.", "김영삼") == 0
    assert opening_end("마리 앙투아네트(프랑스어: Marie Antoinette)는 왕비이다.", "마리 앙투아네트") == 0
    assert opening_end("포뮬러 원 월드 챔피언십은 국제 자동차 연맹이 해마다 여는 자동차 경주 대회다.", "포뮬러 원 월드 챔피언십") == 0
