"""Entity tagger (analysis.ner) and its benchmark script, on sentences written for these tests."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from analysis.ner import Entity, tag_entities
from analysis.ner.products import find_products

ROOT = Path(__file__).resolve().parent.parent

PERSON = "박지훈 한빛테크 대표는 이날 서울 강남구 본사에서 기자간담회를 열었다."
MONEY = "한빛테크는 내년 예산으로 1조2,500억원을 책정했고 연구개발에 3,400만 원을 더 쓴다."
DATE_QT = "회사는 지난해 12월 신규 직원 120명을 채용했다고 밝혔다."
TIME = "행사는 오후 3시 30분부터 두 시간 동안 진행된다."
ANON = "김모(45)씨는 경찰 조사에서 혐의를 부인했다."
ORGS = "삼성전자와 LG전자는 이번 분기 실적을 발표했다."
PRODUCTS = "카카오는 카나나와 코GPT 2.0을 공개했고 네이버는 하이퍼클로바X를 내놨다."
ALL = [PERSON, MONEY, DATE_QT, TIME, ANON, ORGS, PRODUCTS]


def pairs(text: str, **kw) -> set[tuple[str, str]]:
    return {(e.text, e.type) for e in tag_entities(text, **kw)}


@pytest.mark.parametrize("text", ALL)
def test_spans_are_consistent_with_the_text(text: str) -> None:
    ents = tag_entities(text, products=True)
    assert ents, text
    last_end = 0
    for e in ents:
        assert isinstance(e, Entity)
        assert 0 <= e.start < e.end <= len(text)
        assert text[e.start : e.end] == e.text
        assert e.text == e.text.strip()
        assert e.start >= last_end, "spans must not overlap"
        last_end = e.end


def test_person_with_title_and_organisation() -> None:
    got = pairs(PERSON)
    assert ("박지훈", "PS") in got
    assert ("이날", "DT") in got
    assert any(t == "LC" and "서울" in s for s, t in got)


def test_unknown_company_before_a_name_is_not_part_of_the_person() -> None:
    got = pairs("한결전자 김도윤 대표와 누리소프트 박서연 대표가 만났다.")
    assert ("김도윤", "PS") in got and ("박서연", "PS") in got
    assert ("한결전자", "OG") in got
    assert not any(t == "PS" and " " in s for s, t in got)


def test_money_with_big_units_and_commas() -> None:
    got = pairs(MONEY)
    assert ("1조2,500억원", "QT") in got
    assert ("3,400만 원", "QT") in got


def test_relative_date_and_quantity_with_counter() -> None:
    got = pairs(DATE_QT)
    assert ("지난해 12월", "DT") in got
    assert ("120명", "QT") in got


def test_time_of_day() -> None:
    assert ("오후 3시 30분", "TI") in pairs(TIME)


def test_anonymised_person_keeps_only_the_surname() -> None:
    got = pairs(ANON)
    assert ("김", "PS") in got
    assert ("45", "QT") in got


def test_organisations() -> None:
    got = pairs(ORGS)
    assert ("삼성전자", "OG") in got
    assert ("LG전자", "OG") in got


def test_products_only_when_asked() -> None:
    plain = tag_entities(PRODUCTS)
    assert all(e.type != "PRODUCT" for e in plain)
    got = pairs(PRODUCTS, products=True)
    assert {("카나나", "PRODUCT"), ("코GPT 2.0", "PRODUCT"), ("하이퍼클로바X", "PRODUCT")} <= got
    assert ("카카오", "OG") in got


def test_product_patterns() -> None:
    texts = {e.text for e in find_products("오픈AI의 GPT-4o와 LG의 ‘엑사원’ 모델, 카나나 2종을 비교했다.")}
    assert "GPT-4o" in texts
    assert "엑사원" in texts
    assert "카나나" in texts  # `2종` is a count, not a version
    assert find_products("누구에게 물어봐요.") == []  # an ordinary word, not the speaker NUGU


def test_empty_text() -> None:
    assert tag_entities("") == []
    assert tag_entities("   ") == []


def _bench():
    spec = importlib.util.spec_from_file_location("bench_ner", ROOT / "bench" / "ner.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_bench_script_scores_gold_and_writes_predictions(tmp_path: Path, capsys) -> None:
    gold_rows = [
        {"id": "a", "text": DATE_QT, "entities": [
            {"start": 4, "end": 11, "type": "DT", "text": "지난해 12월"},
            {"start": 18, "end": 22, "type": "QT", "text": "120명"},
        ]},
        {"id": "b", "text": TIME, "entities": [{"start": 4, "end": 13, "type": "TI", "text": "오후 3시 30분"}]},
    ]
    for r in gold_rows:
        for e in r["entities"]:
            assert r["text"][e["start"]:e["end"]] == e["text"]
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in gold_rows), encoding="utf-8")
    assert _bench().main(["--in", str(inp), "--out", str(out)]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert last["per_type"]["TI"]["r"] == 1.0
    assert last["per_type"]["QT"]["r"] == 1.0
    for key in ("macro_f1", "micro_f1", "boundary_f1", "sentences_per_s", "wall_s",
                "latency_ms_median", "latency_ms_p95"):
        assert key in last
    preds = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [p["id"] for p in preds] == ["a", "b"]
    assert all(set(e) == {"start", "end", "type", "text"} for p in preds for e in p["entities"])


def test_bench_script_without_gold(tmp_path: Path, capsys) -> None:
    inp, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "x", "text": ORGS}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _bench().main(["--in", str(inp), "--out", str(out)]) == 0
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "macro_f1" not in last and last["n"] == 1
    pred = json.loads(out.read_text(encoding="utf-8"))
    assert pred["id"] == "x" and pred["entities"]


def test_score_counts_exact_matches_only() -> None:
    score = _bench().score
    gold = [[{"start": 0, "end": 2, "type": "PS"}, {"start": 5, "end": 7, "type": "OG"}]]
    pred = [[{"start": 0, "end": 2, "type": "PS"}, {"start": 5, "end": 7, "type": "LC"}]]
    s = score(gold, pred)
    assert s["per_type"]["PS"]["f1"] == 1.0
    assert s["per_type"]["OG"]["r"] == 0.0
    assert s["boundary_f1"] == 1.0
    assert s["micro_f1"] == 0.5


def test_precomputed_tokens_give_the_same_entities() -> None:
    from analysis import morph

    assert tag_entities(PERSON, tokens=morph.tokens(PERSON)) == tag_entities(PERSON)


def _family(attr: str) -> str:
    return attr.split(":", 1)[0] if ":" in attr else attr.rstrip("BI")


def test_features_repeat_exactly() -> None:
    """Characters share cached feature lists; building items must never modify them."""
    from analysis import morph
    from analysis.ner.features import sentence_items

    runs = [[sentence_items(t, morph.tokens(t)) for t in ALL] for _ in range(2)]
    assert runs[0] == runs[1]
    for positions, items in runs[0]:
        assert len(positions) == len(items)
        assert all(len(f) == len(set(f)) for f in items), "a feature repeated within a character"


def test_shipped_model_matches_the_features() -> None:
    """Every feature family the tagger emits is one the shipped model was fitted with (a
    change to features.py needs a refit: bench/train_ner.py fit --on all)."""
    import pycrfsuite

    from analysis import morph
    from analysis.ner import MODEL_PATH
    from analysis.ner.features import sentence_items

    tagger = pycrfsuite.Tagger()
    tagger.open(str(MODEL_PATH))
    known = {_family(a) for a, _ in tagger.info().state_features}
    counts = Counter(
        _family(a) for t in ALL for f in sentence_items(t, morph.tokens(t))[1] for a in f
    )
    common = {fam for fam, n in counts.items() if n >= 5}  # rare ones may have no weight
    assert common - known == set()
    assert {"c", "TPw", "m", "T-T+", "wh"} <= common
