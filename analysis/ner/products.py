"""PRODUCT mentions: AI models and services (카나나, 코GPT 2.0, 하이퍼클로바X, 엑사원, 에이닷).

KLUE-NER has no product type, so these come from a gazetteer and two patterns rather
than the CRF: a known name with an optional version (`코GPT 2.0`, `GPT-4o`, `라마 3.1`),
and a quoted name right before a product noun (`'카나나' 모델`, `‘에이닷’ 서비스`).
"""

from __future__ import annotations

import re

from analysis.ner.entity import Entity

# Longer names first so `하이퍼클로바X` wins over `하이퍼클로바`.
PRODUCT_NAMES = sorted(
    """
    카나나 코GPT KoGPT 하이퍼클로바X 하이퍼클로바 HyperCLOVA 클로바X CLOVA 클로바노트 클로바 큐:
    엑사원 EXAONE 에이닷 A. 믿음 Mi:dm 솔라 Solar 가우스 Gauss 빅스비 Bixby 카카오i 누구 NUGU
    챗GPT ChatGPT GPT 달리 DALL-E 소라 Sora 위스퍼 Whisper 코덱스 Codex 제미나이 Gemini 바드 Bard
    젬마 Gemma 클로드 Claude 라마 Llama LLaMA 코파일럿 Copilot 빙챗 미드저니 Midjourney
    스테이블 디퓨전 Stable Diffusion 그록 Grok 딥시크 DeepSeek 큐원 Qwen 어니봇 미스트랄 Mistral
    퍼플렉시티 Perplexity 알파고 AlphaGo 알파폴드 AlphaFold 시리 Siri 알렉사 Alexa 왓슨 Watson
    """.split(),
    key=len,
    reverse=True,
)
# Names that are also ordinary words (누구, 믿음, 소라, 달리, 시리, 라마 ...) only count with a
# version or in the quoted-name pattern.
AMBIGUOUS = frozenset({"누구", "믿음", "소라", "달리", "시리", "라마", "솔라", "가우스", "A.", "GPT", "클로바", "바드", "그록", "왓슨"})

# A version: numbers (not followed by a counter: `카나나 2종` is not a version), X, o, Pro ...
_VERSION = (
    r"(?:[ -]?(?:\d+(?:\.\d+)*[a-zA-Z]?(?![개종명년월일억만조원배위%])|[A-Z]{1,2}\d*|[oO]\d?|X|mini|Pro|"
    r"Turbo|Ultra|Flash|Nano|Max|Opus|Sonnet|Haiku)(?![A-Za-z0-9]))*"
)
_NAME_RE = re.compile(
    r"(?<![가-힣A-Za-z0-9])(" + "|".join(re.escape(n) for n in PRODUCT_NAMES) + r")(" + _VERSION + r")"
)
_QUOTED_RE = re.compile(
    r"['‘\"“]([^'‘’\"“”]{2,20})['’\"”]\s?(?:AI\s?)?(?:모델|서비스|챗봇|에이전트|앱|플랫폼|언어모델|LLM|비서)"
)


def find_products(text: str) -> list[Entity]:
    found: dict[tuple[int, int], Entity] = {}
    for m in _NAME_RE.finditer(text):
        name, version = m.group(1), m.group(2)
        if name in AMBIGUOUS and not version.strip(" -"):
            continue
        s, e = m.start(), m.end()
        while e > s and text[e - 1] in " -":
            e -= 1
        found[(s, e)] = Entity(s, e, "PRODUCT", text[s:e])
    for m in _QUOTED_RE.finditer(text):
        s, e = m.start(1), m.end(1)
        if not any(a < e and s < b for a, b in found):
            found[(s, e)] = Entity(s, e, "PRODUCT", text[s:e])
    return sorted(found.values(), key=lambda x: (x.start, x.end))
