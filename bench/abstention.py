"""How often /ask answers what the demo corpus does not know, and declines what it does.

    python bench/abstention.py

Over the demo corpus loaded through the real ingest path: questions about things no demo
article covers (they should be declined) and questions the demo articles answer (the
expected words must be in the answer line). Prints both rates, how many off-topic replies
put a figure up front (the worst kind of wrong answer), how many open by naming the words
no article holds (the answer is flagged as only the nearest), and each off-topic question
that got an answer. The questions are this project's own; the last line printed is JSON.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handlers.ask import answer_question, is_abstention, names_unknown_words  # noqa: E402
from handlers.services import Services  # noqa: E402
from ingest.corpus import read_corpus  # noqa: E402
from ingest.demo import demo_corpus_path  # noqa: E402
from ingest.pipeline import ingest_items  # noqa: E402
from store import open_db  # noqa: E402

# Topics no demo article is about (Korean news a group chat might ask about).
OFF_TOPIC = [
    "화성 이주 계획은?", "비트코인 가격은 얼마야?", "손흥민은 몇 골 넣었어?",
    "테슬라 사이버트럭 출시일은?", "애플 비전 프로 가격은?", "넷플릭스 오징어 게임 시즌3 공개일은?",
    "올해 노벨 문학상 수상자는 누구야?", "서울 아파트 평균 가격은?", "삼성전자 파운드리 2나노 수율은?",
    "엔비디아 시가총액은 얼마야?", "카카오뱅크 대출 금리는?", "BTS 군 제대 날짜는?",
    "쿠팡 로켓배송 지역은 어디야?", "뉴진스 컴백 날짜는?", "한국은행 기준금리는?",
    "누리호 4차 발사는 언제야?", "챗GPT 유료 구독료는 얼마야?", "이순신 장군이 태어난 곳은?",
    "미국 대선 결과는?", "반도체 특별법 통과됐어?", "현대차 전기차 아이오닉 9 가격은?",
    "토스 증권 수수료는?", "배달의민족 수수료 인상은 언제야?", "KTX 요금은 얼마야?",
    "카카오톡 먹통 사태 원인은?", "메타 라마 4 매개변수는?", "구글 제미나이 울트라 출시일은?",
    "오픈AI 샘 올트먼 방한 날짜는?", "LG에너지솔루션 배터리 공장 위치는?",
    "포스코 수소환원제철 투자 규모는?", "한화오션 잠수함 수주액은?", "두산 로보틱스 상장일은?",
    "크래프톤 배틀그라운드 매출은?", "엔씨소프트 리니지 신작 출시는 언제야?",
    "네이버웹툰 나스닥 상장 공모가는?", "당근마켓 월간 이용자 수는?", "야놀자 기업가치는 얼마야?",
    "무신사 매출은?", "하이브 방시혁 의장 지분은?", "중국 딥시크 개발 비용은?",
]

# Questions the demo articles answer, with words the answer line must hold.
ON_TOPIC = [
    ("독자 AI 파운데이션 모델 프로젝트 예산은?", "2100억원"), ("코GPT 2.0 매개변수는?", "300억개"),
    ("엑사원 3.0 매개변수는 몇 개야?", "78억"), ("KT와 마이크로소프트 공동 투자 규모는?", "2조4000억원"),
    ("리벨리온 시리즈B 기업가치는 얼마야?", "8800억원"), ("AI 기본법은 언제 시행돼?", "2026년 1월"),
    ("하람랩 AI 행정비서 출시는 언제야?", "9월"), ("하람랩 시리즈B는 얼마로 마감했어?", "450억원"),
    ("퓨리오사AI는 얼마 투자를 유치했어?", "1700억원"), ("업스테이지가 확보한 금액은?", "5600억원"),
    ("GPU 1만장 예산은 얼마야?", "1조4600억원"), ("카나나는 모두 몇 종의 모델로 이뤄져 있어?", "10종"),
    ("뤼튼 가입자는 몇 명이야?", "200만"), ("삼성전자 HBM3E 12H 용량은?", "36GB"),
    ("카카오 대표는 누구야?", "정신아"), ("카카오의 최고AI책임자는 누구야?", "이상호"),
    ("2027년에는 몇 개 팀이 남아?", "2개"), ("리벨리온 시리즈C 투자 전 기업가치는?", "1조5500억원"),
    ("엑사원 3.5는 몇 종이야?", "3종"), ("SKT 대표는 누구야?", "유영상"),
    ("삼성 가우스는 언제 공개됐어?", "2023년 11월"), ("업스테이지 솔라는 허깅페이스에서 몇 위야?", "1위"),
]


def answer_line(reply) -> str:
    """The line that answers: the first, or the nearest passage after a decline."""
    lines = reply.visible.split("\n")
    return lines[1] if is_abstention(reply) and len(lines) > 1 else lines[0]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "demo.db")
        ingest_items(db, read_corpus(demo_corpus_path()))
        services = Services(db)
        answered, noted, figures = [], 0, 0
        for question in OFF_TOPIC:
            reply = answer_question(services, question)
            noted += names_unknown_words(reply)
            if not is_abstention(reply):
                answered.append(question)
                figures += reply.html.startswith("<b>")
        on_topic = [(answer_question(services, q), q, words) for q, words in ON_TOPIC]
        missed = [q for reply, q, words in on_topic if words not in answer_line(reply)]
        declined = sum(is_abstention(reply) for reply, _, _ in on_topic)
        on_topic_noted = sum(names_unknown_words(reply) for reply, _, _ in on_topic)
        db.conn.close()
    for question in answered:
        print(f"answered off-topic: {question}", file=sys.stderr)
    for question in missed:
        print(f"on-topic without its answer: {question}", file=sys.stderr)
    print(json.dumps({
        "off_topic": len(OFF_TOPIC),
        "off_topic_answered": len(answered),
        "off_topic_answered_rate": round(len(answered) / len(OFF_TOPIC), 3),
        # Declined naming the question's words no article holds ('…찾지 못했어요. ‘무신사’는
        # 기사에 나오지 않아요. 가장 가까운 내용이에요.').
        "off_topic_with_note": noted,
        "off_topic_figure_up_front": figures,
        "on_topic": len(ON_TOPIC),
        "on_topic_declined": declined,
        "on_topic_with_note": on_topic_noted,
        "on_topic_answered_right": len(ON_TOPIC) - len(missed),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
