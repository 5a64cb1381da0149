"""How news writes what people say: a chat asks '뽑혔어?', '떨어졌어?', '몇 명 왔어?', and
the article says 선정됐다, 탈락했다, 참석했다.

PREDICATE_KIN maps a predicate stem as people type it (Kiwi's stem: 뽑히, 떨어지, 오) to the
verbal nouns (선정) and verbs (꼽히다, written with 다) an article states the same event with. It is written by hand for the
predicates of news questions, because Kiwi's CoNg neighbours, which `kin_of` adds, miss
many of them (뽑히 has 잘리, 꼽히 and 입선 as neighbours, not 선정) and bring antonyms
(늘리 -> 줄이). A kin is a way to find the sentence, never proof of a value: the value's
own clause decides that.
"""

from __future__ import annotations

from analysis import morph

PREDICATE_KIN: dict[str, tuple[str, ...]] = {
    "뽑히": ("선정", "선출", "발탁", "꼽히다"), "뽑": ("선정", "선출", "발탁"),
    "떨어지": ("탈락", "하락", "낙선", "감소"), "떨어뜨리": ("탈락", "하락"),
    "오르": ("상승", "인상", "증가", "진출"), "올리": ("인상", "상향"),
    "내리": ("하락", "인하", "하향"), "낮추": ("인하", "하향"),
    "늘": ("증가", "확대", "늘어나다"), "늘어나": ("증가", "확대"), "늘리": ("확대", "증액"),
    "줄": ("감소", "축소", "줄어들다"), "줄어들": ("감소", "축소"), "줄이": ("축소", "감축", "삭감"),
    "잃": ("상실", "박탈"), "그만두": ("사퇴", "사임", "퇴임"), "물러나": ("사퇴", "사임", "퇴진"),
    "세우": ("설립", "건립", "수립", "건설", "창립"), "짓": ("건설", "건립", "완공"),
    "만들": ("제작", "개발", "설립", "구성", "조성", "출범"), "차리": ("설립", "창업"),
    "팔": ("판매", "매각"), "팔리": ("판매",), "사": ("매입", "구매", "인수", "매수"),
    "받": ("수상", "수령", "선고", "획득", "유치"), "주": ("지급", "지원", "수여"),
    "내": ("전달", "납부", "기부"),
    "내놓": ("출시", "발표", "공개", "제시"), "나오": ("출시", "공개", "발표", "출연"),
    "보내": ("파견", "전달", "송부", "발송", "파병"), "오": ("참석", "방문", "방한", "도착"),
    "가": ("방문", "참석", "출국"), "만나": ("회동", "면담", "회담", "접견"),
    "열": ("개최",), "열리": ("개최",), "시작하": ("개시", "착수", "출범"),
    "미루": ("연기", "순연", "보류"), "미뤄지": ("연기", "순연"), "늦추": ("연기",),
    "고치": ("수정", "개정", "개선"), "바꾸": ("변경", "교체", "개편", "전환"),
    "바뀌": ("변경", "교체", "전환"), "막": ("저지", "차단", "봉쇄"),
    "죽": ("사망", "숨지다", "희생"), "숨지": ("사망",), "다치": ("부상",),
    "쓰": ("사용", "집필", "지출"), "벌": ("수익", "소득", "수입"),
    "빠져나오": ("탈출", "철수", "이송"), "불러들이": ("초치", "소환"),
    "걸리": ("소요",), "끝나": ("종료", "마무리", "폐막"), "끝내": ("종료", "마무리"),
    "정하": ("결정", "확정", "선정"), "밝히": ("발표", "공개", "설명"),
    "말하": ("발언", "언급", "강조"), "묻": ("질의", "질문"), "답하": ("답변", "해명"),
    "이기": ("승리", "당선", "꺾다"), "지": ("패배", "낙선"), "싸우": ("대결", "경쟁"),
    "찬성하": ("찬성",), "반대하": ("반대",), "맡": ("담당", "취임", "역임"),
    "옮기": ("이동", "이전", "이적"), "들어오": ("입국", "유입", "도입"),
    "나가": ("출국", "탈퇴", "출마"), "터지": ("발생", "폭발"),
    "붙": ("통과", "진출", "합격", "선정"), "붙잡히": ("체포", "검거"), "잡히": ("체포", "검거"), "갇히": ("구속", "수감"),
    # Verbal nouns a chat uses for what articles say with another one.
    "마감": ("마무리", "완료", "종료"), "출시": ("내놓다", "선보이다", "공개"),
    "개최": ("열다", "열리다"), "선정": ("뽑히다", "꼽히다"), "체결": ("맺다",),
    "인수": ("사들이다", "매입"), "발표": ("공개", "밝히다"), "사퇴": ("사임", "물러나다"),
    "연기": ("미루다", "미뤄지다", "늦추다"), "생기": ("설립", "창립", "출범", "발생", "생겨나다"),
}


def kin_of(stem: str, tag: str, neighbours: bool = True) -> tuple[tuple[str, str], ...]:
    """(form, tag) of the verbs (VV) and verbal nouns (NNG) an article may state the
    predicate `stem` with: the table's, then (unless `neighbours` is False) Kiwi's nearest
    predicates (verbs and verbal nouns only, since its nearest nouns of a verb are mostly
    its objects)."""
    kin = [(k[:-1], "VV") if k.endswith("다") else (k, "NNG") for k in PREDICATE_KIN.get(stem, ())]
    for form, kind in morph.similar_morphemes(stem, tag, 6, 0.6) if neighbours else ():
        if kind in ("VV", "VA") or (kind == "NNG" and len(form) > 1):
            kin.append((form, kind))
    return tuple(dict.fromkeys(k for k in kin if k[0] != stem))


def kin_forms(stem: str, tag: str, neighbours: bool = True) -> tuple[str, ...]:
    """The surface forms to look for in a sentence that states `stem` in other words: the
    verbal nouns as they are, the verbs in their inflected forms."""
    forms: list[str] = []
    for form, kind in kin_of(stem, tag, neighbours):
        forms.extend(morph.verb_forms(form, kind) if kind in ("VV", "VA") else (form,))
    return tuple(dict.fromkeys(forms))
