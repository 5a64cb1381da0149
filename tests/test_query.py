"""Reading questions: what a question asks about and how its predicate is written."""

from handlers.query import read_question


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


def test_a_counter_in_the_question_says_the_unit_of_the_answer() -> None:
    from handlers.answer_value import expected_units

    assert expected_units("몇 번째 시도에 성공했어?") == {"번", "차례"}
    assert expected_units("몇 개월 걸렸어?") == {"개월"}
    assert expected_units("몇 살에 입학했어?") == {"살", "세"}
    assert expected_units("몇 퍼센트 늘었어?") == {"%", "퍼센트"}
    assert expected_units("예산은 얼마야?") >= {"원", "달러"}
