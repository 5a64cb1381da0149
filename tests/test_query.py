"""Reading questions: what a question asks about and how its predicate is written."""

from answer.question import read_question, search_keywords


def test_the_predicate_is_read_with_its_written_forms() -> None:
    # A verbal noun is looked for as it is; a verb stem in the forms it takes in text.
    assert read_question("기술 유출을 폭로한 연구원은?").predicate == ("폭로",)
    assert read_question("차세대 칩은 언제 출시했어?").predicate == ("출시",)
    forms = read_question("결선에 오른 후보는 누구야?").predicate
    assert {"오른", "올랐", "올라"} <= set(forms)
    assert all(len(f) >= 2 for f in forms)
    # 하다/있다 and question verbs are no predicate of their own.
    assert read_question("카카오 대표는 누구야?").predicate == ()
    assert read_question("코GPT 2.0 매개변수 알려줘").predicate == ()


def test_a_noun_cue_sets_the_kind_only_as_what_is_asked() -> None:
    assert read_question("프로젝트 예산은?").kind == "amount"
    assert read_question("공동 투자 규모는 얼마야?").kind == "amount"
    assert read_question("출시된 년도는?").kind == "date"
    # On the way to what is asked, the same nouns say nothing of the answer's kind.
    question = read_question("연구 예산 유용 의혹을 폭로한 의원은?")
    assert question.kind == "other" and question.wants == ("PS",)
    assert read_question("최대 규모의 시위로 꼽히는 것은?").kind == "other"
    # '얼마나' asks how much; it is no word an answer is written with.
    question = read_question("후발대 병력은 얼마나 되는가?")
    assert question.kind == "amount" and "얼마나" not in question.terms


def test_a_counter_in_the_question_says_the_unit_of_the_answer() -> None:
    from answer.question import expected_units

    assert expected_units("몇 번째 시도에 성공했어?") == {"번째"}  # 두 번째, 3번째
    assert expected_units("몇 번 보냈어?") == {"번", "차례", "회"}
    assert expected_units("몇 개월 걸렸어?") == {"개월"}
    assert expected_units("몇 살에 입학했어?") == {"살", "세"}
    assert expected_units("몇 퍼센트 늘었어?") == {"%", "퍼센트"}
    assert expected_units("예산은 얼마야?") >= {"원", "달러"}
    # A unit written in Latin letters, or a counter without a table entry, is the unit too.
    assert expected_units("배터리 용량은 몇 mAh야?") == {"mAh"}
    assert "등" in expected_units("몇 등으로 졸업했어?")
    # A date noun says which part of a date answers.
    assert expected_units("창당한 날짜는?") == {"일", "월"}
    assert expected_units("완공 년도는?") == {"년"}
    # 몇 with a copula asks for a number in any unit.
    assert expected_units("참가자는 몇이야?") == frozenset()


def test_a_value_in_another_unit_is_not_put_up_front() -> None:
    from answer.value import answer_value

    question = read_question("그는 졸업 시험에서 몇 등을 했어?")
    assert answer_value("졸업 시험에는 40명이 응시했고 그는 3등을 했다.", question) == ""
    question = read_question("새 휴대폰 배터리 용량은 몇 mAh야?")
    assert answer_value("새 휴대폰은 램 8 GB에 배터리 용량 4,500 mAh를 갖췄다.", question) == "4,500 mAh"


def test_a_date_question_is_answered_in_the_part_of_a_date_it_asks_for() -> None:
    from answer.value import answer_value

    text = "1980년대 초부터 이어진 시위는 지난 15일 전국으로 번졌다."
    assert answer_value(text, read_question("시위가 전국으로 번진 날짜는?")) == "15일"
    # A date written in parts is one answer, not a tie of its parts.
    text = "선교사가 처음 들어온 것은 1884년 6월 24일로 알려져 있다."
    assert answer_value(text, read_question("선교사가 처음 들어온 날짜는?")) == "1884년 6월 24일"
    text = "2002년 보수가 끝난 경기장은 1984년에 처음 완공됐다."
    assert answer_value(text, read_question("경기장이 처음 완공된 년도는?")) == "1984년"


def test_an_amount_in_a_foreign_dollar_is_one_value() -> None:
    from answer.value import answer_value

    # '100만 ' is no clause end (as '…지만 ' is), and 캐나다 달러 is money.
    text = "새 경기장을 쓰면서 100만 캐나다 달러의 예산 절감 효과를 봤다."
    assert answer_value(text, read_question("경기장 예산 절감은 얼마야?")) == "100만 캐나다 달러"


def test_values_are_read_whole() -> None:
    from answer.kinds import kind_values

    def values(text: str, kind: str) -> list[str]:
        return [m.group().strip() for m in kind_values(text, kind, "")]

    assert values("한 변이 57 mm인 판을 쓴다.", "amount") == ["57 mm"]
    assert values("개발에 3개월이 걸렸고 3세대 모델이 나왔다.", "amount") == ["3개월", "3세대"]
    assert values("1980년대에 보수를 마쳤다.", "date") == ["1980년대"]
    assert values("후면에는 1,200만 화소 카메라를 달았다.", "amount") == ["1,200만 화소"]
    assert values("초등학교 3학년 때 처음 배웠다.", "date") == ["3학년 때"]
    # '때문' is a reason, not a time.
    assert values("값이 오른 것은 수요가 늘었기 때문이다.", "date") == []


def test_a_vague_date_is_not_an_answer_on_its_own(tmp_path) -> None:
    from answer.value import resolved_date
    from store.db import open_db

    db = open_db(tmp_path / "news.db")
    assert resolved_date(db, 1, None, "당시") == ""
    assert resolved_date(db, 1, None, "세종 때") == "세종 때"


def test_search_keywords_keep_the_askers_spelling() -> None:
    # Without particles or endings, not split into morphemes or lower-cased.
    assert search_keywords("LG에너지솔루션 배터리 공장 위치는?") == [
        "LG에너지솔루션", "배터리", "공장", "위치"]
    assert search_keywords("코GPT 2.0 매개변수는 몇 개야?") == ["코GPT", "2.0", "매개변수"]
    assert search_keywords("1,200만 화소 카메라는?") == ["1,200만", "화소", "카메라"]
    # Question words are no keywords; markup around a word is left out.
    assert search_keywords("비트코인 가격은 얼마야?") == ["비트코인", "가격"]
    assert search_keywords("<b>삼성</b> 가격?") == ["삼성", "가격"]
    assert search_keywords("얼마야?") == []
