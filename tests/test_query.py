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
