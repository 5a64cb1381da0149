"""Whether an article states what a question asks, before /ask answers from it.

A question that asks when, how much, how many, who or where shares its words with many
sentences that do not answer it: '송영길 … 구속영장 발부된 날짜' with a sentence about a
warrant *requested* for his aide, '지지율 몇 %' with one about 5세 취학. A sentence states
the asked thing when it holds
- for a date or an amount, a candidate answer the question does not already say, in the
  asked unit;
- an anchor of what is asked (or, short of one, nearly all of the question's words), as
  written: the noun the question word asks about (or its
  stem: 전사자 / 전사, 벌금형 / 벌금), or the question's predicate in its inflected forms or
  in other words (잃다 / 상실, 뽑히다 / 선정, 사퇴 / 사임: analysis.paraphrase);
- every ordinal the question names ('3차', '제8차') and every word that says which one of
  several is meant ('다음', '후임', '차기').
Words of like meaning come from the project's table alone, not from Kiwi's CoNg model: its
neighbours of 사망자 are 부상자 and 사상자, of 한국인 일본인, of 늘리다 줄이다, and a count of
the one is no answer about the other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from analysis.quotes import quote_before
from answer.anchors import anchors_of, qualifiers_of
from answer.question import MONEY_UNITS, Question
from answer.retrieval import Evidence, Retrieval
from answer.snippet import held_share
from answer.value import answer_values, kind_values_of
from store.search import SentenceHit

_NOT_A_WORD = re.compile(r"[\W_]+")
# Units that measure (time, shares, money, size): a value in another unit is no candidate.
MEASURES = MONEY_UNITS | frozenset(
    "시간 분 초 개월 년 % 퍼센트 km ㎞ m mm cm kg 톤 GB TB MB mAh 밀리미터 센티미터 미터".split())
TYPED = ("date", "amount", "person", "place", "name")
POOL = 4  # articles looked at for one that states the answer
WITHIN = 0.75  # ...when they score at least this share of the best one
STATED_BOOST = 0.5  # added to a stating sentence's score, so the snippet is cut around it
WHOLE_QUESTION = 0.8  # share of the question's weight that stands in for an anchor
NAMES_SHARE = 0.5  # share of the weight of the question's names an article must name


def _has_candidate(question: Question, evidence: Evidence, index: int) -> bool:
    """Whether the sentence holds a date or amount that the question does not state: in
    the asked unit when that is a measure (몇 시간, 몇 %, money), in any unit when it is a
    counter, since counters vary more than the question's ('몇 가지' / 4종, '몇 나라' /
    14개). People and places are not checked: the tagger misses too many names ('토니
    바우호퍼', '임이자') for their absence to mean anything."""
    if question.kind not in ("date", "amount"):
        return True
    text = evidence.others[index].text
    if question.units and question.units <= MEASURES:
        return bool(answer_values(text, question))
    return bool(kind_values_of(text, question))


def states(question: Question, evidence: Evidence, index: int) -> bool:
    """Whether sentence `index` of the evidence article states what the question asks."""
    if question.kind not in TYPED:
        return True
    sentence = evidence.others[index]
    # Which one is meant may be said just before or in the headline ('국적기 4대가 …' /
    # '최대 수용인원은 869명').
    around = [evidence.article.title, sentence.text]
    if index:
        around.append(evidence.others[index - 1].text)
    context = "".join(around).replace(" ", "")
    if any(m not in context for m in question.ordinals + qualifiers_of(question)):
        return False
    if question.versions and not holds_versions(context, question):
        return False  # '카나나 2' is not 카나나: the version named is said too
    if not _has_candidate(question, evidence, index):
        return False
    if question.kind in ("date", "amount") and not names_what_is_asked(question, evidence, index):
        return False
    anchors = anchors_of(question)
    if not anchors.any or anchors.held_by(sentence.text):
        return True
    # A sentence that holds nearly all of the question says it in other words ('전투가
    # 벌어진' for '발발했는가').
    return held_share(f"{sentence.text} {evidence.article.title}", question) >= WHOLE_QUESTION


# The topic a sentence opens with: '카카오톡은 …', '카카오톡의 월간 활성 이용자는 …'.
_TOPIC = re.compile(r"(\S+?)(?:은|는)(?=\s)")
# Who may own a figure: organisations, products and people (the tagger often reads a
# product's made-up name as a person's); a place that opens a sentence is more often
# where something happened than whose the figure is.
_OWNERS = frozenset({"OG", "PRODUCT", "PS"})
# A sentence that reports what someone said or made known: its topic is the source.
_REPORTED = re.compile(r"(?:다|라|냐)(?:고|며|면서)\s?(?:\S+\s)?(?:밝혔|전했|말했|설명했|알렸|"
                       r"덧붙였|강조했|주장했|발표했|보도했|했다|했습니다|전했습니다|밝혔습니다)")
_PARENTHESIS = re.compile(r"\([^)]*\)")
_BARE = re.compile(r"[^\s]*[가-힣A-Za-z0-9]")
# A word that ends in a particle of its own is no qualifier of the topic after it.
_PARTICLE_END = re.compile(r"(?:이|가|을|를|에|로|와|과|도|만|서|고|며|면)$")


def _opening_topic(text: str, end: int) -> list[str]:
    """The words of the topic the sentence opens with, when it comes before `end`: the
    word with 은/는 and the words before it, all of which qualify it ('카카오톡의 월간 활성
    이용자는'); [] when the sentence opens otherwise. Only a topic that opens the
    sentence is the main clause's: a subject later on is as often an embedded clause's
    ('조선사회민주당이 … 칭한 윤 전 의원은', '4월 19일, 정부는 … 승인했으며')."""
    text = _PARENTHESIS.sub(lambda m: " " * len(m.group()), text[:end])
    first = _TOPIC.search(text)
    if first is None:
        return []
    before = text[:first.start()].split()
    if len(before) > 3 or not all(w.endswith("의") or (_BARE.fullmatch(w) and not _PARTICLE_END.search(w))
                                  for w in before):
        return []
    return [w.removesuffix("의") for w in before] + [first.group(1)]


def names_what_is_asked(question: Question, evidence: Evidence, index: int) -> bool:
    """Whether the values of a sentence are said of what the question names: a value whose
    sentence opens with a named topic (an organisation, product or person the store
    tagged) is one of that topic, and the question must name it too. '카카오톡은 …
    4,895만명' is no figure of 에이닷 or of the 카나나 app. A topic that is no name ('대안
    노선은', '회사는'), or none, leaves it open."""
    sentence = evidence.others[index]
    text = sentence.text
    if _quoted_group_figures(text, question):
        return False
    named = [_NOT_A_WORD.sub("", n).lower() for t, n in evidence.names.get(sentence.sentence_id, ())
             if t in _OWNERS]
    if not named:
        return True
    if _REPORTED.search(text):
        return True  # '외교부는 … 490여 명에 이른다고 전했다': the topic is who told it
    lowered = text.lower()
    if any(name in lowered for name in _names(question)):
        return True  # the sentence names what the question names, whatever its topic
    words = [t for t in question.terms if len(t) > 1 and not t.isdigit()]
    words += [a for t in words for a in question.alternatives.get(t, ())]
    plain = [w for w in (_NOT_A_WORD.sub("", w).lower() for w in words) if w]
    for value in answer_values(text, question) or kind_values_of(text, question):
        subject = [_NOT_A_WORD.sub("", w).lower() for w in _opening_topic(text, value.start())]
        entities = [n for n in named if any(w and (n == w or n in w) for w in subject)]
        if not entities or any(w in n or n in w for n in entities for w in plain):
            return True
    return False


# A group as the owner of a figure said in a quote: '"국내 AI 반도체 기업들의 기업가치가 잇따라
# 1조원을 넘어서고 있지만"' (a plural, then its particle).
_GROUP_OWNER = re.compile(r"[가-힣]들(?:의|이|은|도|마다)\s")


def _quoted_group_figures(text: str, question: Question) -> bool:
    """Whether every value of the kind asked in `text` is said inside a quote of a group
    the question does not name ('"… 기업들의 기업가치가 잇따라 1조원을 넘어서고 …"'): a
    comment on a sector, not a figure of what is asked."""
    values = answer_values(text, question) or kind_values_of(text, question)
    if not values:
        return False
    names = [n.lower() for n in _names(question)]
    for value in values:
        quote = quote_before(text, value.start())
        if quote is None or not _GROUP_OWNER.search(quote) or any(n in quote.lower() for n in names):
            return False
    return True


def value_bound(question: Question, evidence: Evidence, value: str) -> bool:
    """Whether the sentence of the article that holds `value` says it of what is asked
    (names_what_is_asked); True when no one sentence holds it as written."""
    squashed = value.replace(" ", "")
    holding = [i for i, s in enumerate(evidence.others) if squashed in s.text.replace(" ", "")]
    return not holding or any(names_what_is_asked(question, evidence, i) for i in holding)


def holds_versions(text: str, question: Question) -> bool:
    """Whether `text` names every name-and-version of the question, spaces and marks aside
    ('믿:음 2.0' names 믿음 2.0; '카나나' alone does not name 카나나 2)."""
    plain = _NOT_A_WORD.sub("", text).lower()
    return all(_NOT_A_WORD.sub("", f"{name}{version}").lower() in plain
               for name, version in question.versions)


def stating_sentences(question: Question, evidence: Evidence) -> list[int]:
    """Indices of the article's sentences that state what is asked."""
    return [i for i, s in enumerate(evidence.others) if states(question, evidence, i)]


def _names(question: Question, unknown: tuple[str, ...] = ()) -> dict[str, float]:
    """The question's names with their weights."""
    return {t: question.weights[t] for t in question.names
            if t in question.weights and not t.isdigit() and len(t) > 1
            # a join the question suggested is no name of it; a name no article holds
            # is named as such in the reply instead
            and t not in question.wholes and t not in unknown}


def held_words(evidence: Evidence, sentences: Sequence[SentenceHit]) -> tuple[set[str], str]:
    """The morphemes of an article's title and of `sentences` (of it), and their text in
    lower case (for names written as the question writes them)."""
    words = set(evidence.article.title_morphs.split())
    for s in sentences:
        words.update(s.morphs.split())
    return words, (evidence.article.title + " " + " ".join(s.text for s in sentences)).lower()


def names_all(question: Question, evidence: Evidence, unknown: tuple[str, ...] = (),
              in_answer: bool = False) -> bool:
    """Whether the article names what the question names: names holding most (NAMES_SHARE)
    of the weight of the question's names, as written anywhere in it ('지하차도' in
    궁평2지하차도, 'ic' in 강하IC) or as one of their other names (국힘 / 국민의힘). Not all
    of them: a question adds names an article need not repeat ('남한 정당', '미 국무부').
    `in_answer`: in its title or its answering sentence, not anywhere."""
    names = _names(question, unknown)
    if not names:
        return True
    words, text = held_words(evidence, [evidence.sentence] if in_answer else evidence.others)
    held = sum(w for t, w in names.items() if t in words or question.names_term(t, text))
    return held >= NAMES_SHARE * sum(names.values())


def stated_first(found: Retrieval) -> tuple[Retrieval, bool]:
    """The retrieval with the best article that states the answer first (its stating
    sentences scored up, so the snippet is cut around them), and whether one does."""
    question = found.question
    if not found.evidence:
        return found, True
    if question.kind not in TYPED:
        # Whatever it asks, an article that never names what the question names ('오픈AI',
        # '갤럭시 S25') does not say it.
        return found, any(names_all(question, e, found.unknown) for e in found.evidence[:POOL]
                          if e.score >= WITHIN * found.evidence[0].score)
    best = found.evidence[0].score
    for ev in found.evidence[:POOL]:
        if ev.score < WITHIN * best:
            break
        if not names_all(question, ev, found.unknown):
            continue  # an article about someone else ('소토마요르' nowhere in it)
        stating = stating_sentences(question, ev)
        if not stating:
            continue
        scores = list(ev.sentence_scores or [0.0] * len(ev.others))
        for i in stating:
            scores[i] += STATED_BOOST
        promoted = replace(ev, sentence_scores=scores)
        rest = [e for e in found.evidence if e is not ev]
        return replace(found, evidence=[promoted, *rest]), True
    return found, False
