"""Distractor news articles for the --scale benchmark, generated from the demo corpus.

Each distractor recombines sentences of several different demo articles and swaps their
organisations, people, numbers and dates, so the store fills with varied, realistic Korean
news text that competes for the same index terms without repeating any one article.
Nothing here reads the benchmark corpus: distractors must never be copies of it.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

from analysis.grammar import has_final_consonant
from ingest.article_input import ArticleInput

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "ingest" / "data"

# Names swapped in for one another; the demo corpus uses many of them, others widen the mix.
ORGS = [
    "네이버", "카카오", "KT", "SK텔레콤", "LG AI연구원", "삼성전자", "업스테이지", "리벨리온",
    "퓨리오사AI", "SK하이닉스", "네이버클라우드", "카카오브레인", "NC AI", "하람랩", "뤼튼",
    "한빛소프트", "새별테크", "누리로보틱스", "도담바이오", "해솔에너지", "가온모빌리티",
    "마루데이터", "온결AI", "미리내반도체", "한결클라우드", "다올헬스케어", "이음통신",
]
PEOPLE = [
    "김하늘", "이서준", "박지민", "최유진", "정민호", "강서연", "조현우", "윤다은", "장도윤",
    "임수빈", "한지호", "오세린", "서태경", "신예린", "권우진", "황보미", "안재훈", "송하윤",
]
ROLES = ["대표", "부사장", "연구소장", "본부장", "센터장", "교수", "장관", "최고기술책임자"]
PUBLISHERS = [
    "누리테크뉴스", "한빛경제", "새아침일보", "디지털온", "테크브리프", "미래산업신문",
    "코리아IT타임스", "바른뉴스", "산업인사이트", "AI투데이",
]
TOPICS = [
    "AI", "반도체", "클라우드", "데이터센터", "로봇", "자율주행", "보안", "핀테크", "바이오",
    "배터리", "우주항공", "게임", "메타버스", "통신", "스마트팩토리",
]

_SENT_END = re.compile(r"(?<=[다요음임])\.\s+")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def demo_paths() -> list[Path]:
    """The demo corpus file(s) to draw from: the merged corpus once it exists."""
    merged = DATA / "demo_corpus.jsonl"
    if merged.exists():
        return [merged]
    return sorted(p for p in DATA.glob("demo_*.jsonl"))


def _load(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                records.append(json.loads(line))
    return records


def _sentences(body: str) -> list[str]:
    out = []
    for paragraph in body.split("\n"):
        for part in _SENT_END.split(paragraph.strip()):
            part = part.strip()
            if len(part) >= 15:
                out.append(part if part.endswith(".") else part + ".")
    return out


class DistractorMaker:
    def __init__(self, seed: int = 7, paths: list[Path] | None = None) -> None:
        self.rng = random.Random(seed)
        records = _load(paths or demo_paths())
        if not records:
            raise FileNotFoundError("no demo corpus under ingest/data")
        self.pools = [_sentences(r["body"]) for r in records]
        self.pools = [p for p in self.pools if p]
        self.titles = [r["title"] for r in records]
        # Names the demo text actually contains, so substitution has something to hit.
        self.names = [n for n in ORGS if any(n in r["body"] for r in records)]

    def _swap_names(self, text: str, mapping: dict[str, str]) -> str:
        """Replace whole names (not '카카오' inside '카카오톡') and fix the particle after each."""
        if not mapping:
            return text
        names = sorted(mapping, key=len, reverse=True)  # '네이버클라우드' before '네이버'
        pattern = re.compile(
            "(" + "|".join(re.escape(n) for n in names) + ")"
            + r"(은|는|이|가|을|를|과|와|으로|로|의|에|에서|도|만)?(?![가-힣])"
        )

        def repl(m: re.Match[str]) -> str:
            new, particle = mapping[m.group(1)], m.group(2) or ""
            if particle:
                final = has_final_consonant(new)
                pairs = {"은": "는", "이": "가", "을": "를", "과": "와", "으로": "로"}
                for closed, open_ in pairs.items():
                    if particle in (closed, open_):
                        particle = closed if final else open_
            return new + particle

        return pattern.sub(repl, text)

    def _swap_numbers(self, text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            digits = m.group()
            after = text[m.end() : m.end() + 1]
            if after == "월":
                return str(self.rng.randint(1, 12))
            if after == "일":
                return str(self.rng.randint(1, 28))
            if re.fullmatch(r"(19|20)\d\d", digits):  # a year: stay plausible
                return str(self.rng.randint(2015, 2027))
            plain = digits.replace(",", "")
            if "." in plain:
                whole, frac = plain.split(".", 1)
                whole_part = self.rng.randint(1, max(1, 10 ** len(whole) - 1))
                return f"{whole_part}.{self.rng.randint(0, 9)}"
            low = 10 ** (len(plain) - 1) if len(plain) > 1 else 1
            n = self.rng.randint(low, 10 ** len(plain) - 1)
            return f"{n:,}" if "," in digits else str(n)

        return _NUMBER.sub(repl, text)

    def _mapping(self) -> dict[str, str]:
        targets = self.rng.sample(ORGS, k=len(self.names)) if len(ORGS) >= len(self.names) else ORGS
        return dict(zip(self.names, targets, strict=False))

    def make(self, index: int) -> ArticleInput:
        rng = self.rng
        mapping = self._mapping()
        sources = rng.sample(range(len(self.pools)), k=min(len(self.pools), rng.randint(2, 4)))
        sentences: list[str] = []
        for s in sources:
            pool = self.pools[s]
            start = rng.randrange(len(pool))
            sentences += pool[start : start + rng.randint(2, 4)]
        person = rng.choice(PEOPLE)
        role = rng.choice(ROLES)
        org = rng.choice(ORGS)
        topic = rng.choice(TOPICS)
        sentences.insert(
            rng.randrange(1, len(sentences) + 1),
            rng.choice([
                f"{person} {org} {role}은 \"{topic} 분야에서 경쟁력을 높이겠다\"고 말했다.",
                f"업계에서는 {org}의 {topic} 사업이 내년에 본격화할 것으로 보고 있다.",
                f"{org} 관계자는 \"구체적인 일정은 정해지지 않았다\"고 밝혔다.",
                f"{person} {role}은 이날 간담회에서 {topic} 투자 계획을 설명했다.",
            ]),
        )
        text = [self._swap_numbers(self._swap_names(s, mapping)) for s in sentences]
        paragraphs, i = [], 0
        while i < len(text):
            step = rng.randint(1, 3)
            paragraphs.append(" ".join(text[i : i + step]))
            i += step
        title = self._swap_numbers(self._swap_names(rng.choice(self.titles), mapping))
        if rng.random() < 0.5:
            title = f"{org}, {topic} " + rng.choice(["전략 발표", "신사업 추진", "투자 확대", "협력 강화"])
        year = rng.randint(2019, 2026)
        month, day, hour = rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 22)
        published = f"{year}-{month:02d}-{day:02d}T{hour:02d}:00:00+09:00"
        source_id = f"distractor-{index:06d}"
        return ArticleInput(
            title=title,
            body="\n".join(paragraphs),
            url=f"https://news.example.com/{source_id}",
            publisher=rng.choice(PUBLISHERS),
            published_at=published,
            source_id=source_id,
            origin=source_id,
        )


def distractors(count: int, seed: int = 7) -> Iterator[ArticleInput]:
    maker = DistractorMaker(seed)
    for i in range(count):
        yield maker.make(i)
