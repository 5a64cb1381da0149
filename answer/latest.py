"""What is new: the newest articles about what a question names ('요즘 카카오 소식?'), or
the articles of the time it names ('오늘 뉴스', '이번 주 AI 기사'), newest first.

Relevant articles are the ones the article index ranks near the best for the question's
subject (its words without the words of asking: 요즘, 소식, 기사, 떴어 ...); of those, the
newest come first, from the last month when there are any. Articles published after the
question was asked do not exist for it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from analysis import morph
from analysis.dates import parse_kst
from answer.question import EVERYDAY_WORDS, QUESTION_WORDS, Question
from answer.retrieval import repair_terms
from answer.when import Span, span_of
from store.articles import KST, Article, get_articles, published_between
from store.engine import Database
from store.search import search_articles
from store.stories import one_per_story

# Words of asking about news that name no subject ('오늘 뜬 기사 뭐 있어?').
NEWS_WORDS = frozenset(
    "뉴스 기사 소식 새 최신 최근 요즘 요새 근황 떴 뜨 나오 나왔 올라오 관련 쪽 정리 요약 발표 "
    "있 알리 무엇 뭐 것 거 주 하 되 아침 저녁 오후 오전 낮 밤 주말 달 월 일 년 번 개 몇 이번 지난 오늘 "
    "어제 그제 업데이트 동향 이야기 얘기 말 새롭 공개 나온 무슨 어떤 어떻 "
    # Pointing at what was shown ('이거 요약해줘'): no subject either.
    "이거 이것 그거 그것 저거 해당 자세히 요약 내용".split()
)
CANDIDATES = 40  # articles the index offers for a subject
RELEVANT = 0.45  # share of the best article's score a relevant one has
WINDOW_FLOOR = 0.25  # ...and, ranked within a window, the share of the best of all time
RECENT = timedelta(days=30)  # 'what is new' looks this far back first
SHOWN = 3


@dataclass(frozen=True, slots=True)
class NewsList:
    articles: list[Article]  # newest first
    subject: str  # the subject as the asker wrote it ('' for a whole window)
    span: Span | None
    in_span: bool  # False when the span had none and these are the newest before it


def subject_terms(question: Question) -> list[str]:
    return [t for t in question.terms
            if t not in NEWS_WORDS and t not in EVERYDAY_WORDS and t not in QUESTION_WORDS
            and not t.isdigit()]


def subject_words(question: Question) -> str:
    """The subject as written ('카카오', '국가대표 AI'), for the reply's first line."""
    terms = set(subject_terms(question))
    words = [w.surface for w in question.written if terms & set(w.terms)]
    # A word the analysis split ('에이' of 에이닷) is shown as the articles write it.
    whole = [t for t in terms if t in question.names and t not in words]
    words = [next((t for t in whole if t.startswith(w) and len(t) > len(w)), w) for w in words]
    return " ".join(dict.fromkeys(words))


def newest(db: Database, question: Question, limit: int = SHOWN) -> NewsList:
    """The newest articles about the question's subject, in the span it names if any."""
    span = span_of(question.window, question.asked_at)
    as_read = set(question.terms)
    question = repair_terms(db, question)  # names Kiwi broke up, shorthand, typos
    # What the repair put in (에이 닷 -> 에이닷, 하람렙 -> 하람랩) is a name the articles hold.
    question = replace(question, names=question.names | (set(question.terms) - as_read))
    terms = subject_terms(question)
    asked = question.asked_at or None
    if terms:
        found = _relevant(db, question, terms, asked)
    else:
        found = _published(db, span, asked)
    found.sort(key=lambda a: a.published_at or "", reverse=True)
    if span is not None:
        inside = [a for a in found if span.holds(a.published_at)]
        if not inside and terms:
            # A topic the window's articles call otherwise ('반도체' / 메모리, 파운드리).
            wider = _relevant(db, question, terms + _topic_kin(question, terms), asked)
            inside = sorted((a for a in wider if span.holds(a.published_at)),
                            key=lambda a: a.published_at or "", reverse=True)
        if not inside and terms:
            # Near the best of the window's own articles, not of all time: '어제 엑사원 새
            # 버전' is yesterday's 엑사원 article though an older one says 버전 more often.
            inside = sorted(_relevant(db, question, terms, asked, within=span),
                            key=lambda a: a.published_at or "", reverse=True)
        if inside:
            return NewsList(_per_story(db, inside, limit), subject_words(question), span, True)
        before = [a for a in found if (a.published_at or "") < span.first]
        return NewsList(_per_story(db, before, limit), subject_words(question), span, False)
    now = parse_kst(question.asked_at) or datetime.now(KST)
    recent = [a for a in found if (parse_kst(a.published_at) or now) >= now - RECENT]
    # News about the subject first: an article that names it only in passing further down
    # ('…카카오로부터 다음 운영사 지분을 인수하기로') is listed after those that lead with it.
    recent = sorted(recent or found, key=lambda a: not _leads_with(a, terms, question))
    return NewsList(_per_story(db, recent, limit), subject_words(question), None, True)


def _per_story(db: Database, articles: list[Article], limit: int) -> list[Article]:
    """The first `limit` of `articles` (newest first), one per story."""
    kept = set(one_per_story(db, [a.id for a in articles]))
    return [a for a in articles if a.id in kept][:limit]


def _relevant(db: Database, question: Question, terms: list[str],
              asked: str | None, within: Span | None = None) -> list[Article]:
    """Articles about the subject: those naming every name it has (SKT, 과기정통부) however
    briefly, else those the index ranks near the best (of those `within` a span if given)."""
    names = [m for t in terms for n in question.alternatives.get(t, ())
             for m in morph.index_terms_of(n)]
    hits = search_articles(db, terms + names, limit=CANDIDATES, published_by=asked)
    articles = get_articles(db, [h.article_id for h in hits])
    if within is not None and hits:
        floor = WINDOW_FLOOR * hits[0].score
        hits = [h for h in hits if h.article_id in articles and h.score >= floor
                and within.holds(articles[h.article_id].published_at)]
    if not hits:
        return []
    must = [t for t in terms if t in question.names and not t.isdigit()]
    best = hits[0].score or 1.0
    found = []
    for h in hits:
        a = articles.get(h.article_id)
        if a is None or a.dup_of is not None:  # a rewrite of an article listed is the same news
            continue
        if (must and all(_names(a, t, question) for t in must)) or (
                not must and h.score >= RELEVANT * best):
            found.append(a)
    return found


LEAD_CHARS = 300  # the opening of a body that says what an article is about


def _leads_with(article: Article, terms: list[str], question: Question) -> bool:
    """Whether the article's headline or opening names the subject (every name of it, or
    with no name, any of its words)."""
    text = f"{article.title} {article.body[:LEAD_CHARS]}".lower()
    names = [t for t in terms if t in question.names and not t.isdigit()]
    if names:
        return all(question.names_term(t, text) for t in names)
    return any(t in text for t in terms)


def _names(article: Article, term: str, question: Question) -> bool:
    text = f"{article.title} {article.body}".lower()
    return question.names_term(term, text)


def _topic_kin(question: Question, terms: list[str]) -> list[str]:
    """Common nouns near the subject's common nouns in meaning (반도체 -> 메모리)."""
    return [k for t in terms if t not in question.names
            for k, tag in morph.similar_morphemes(t, "NNG", 4, 0.6) if tag == "NNG"]


def _published(db: Database, span: Span | None, asked: str | None) -> list[Article]:
    """Articles of the span (or the newest ones), for a window with no subject; the
    newest before the span when it has none."""
    end = min(filter(None, [span.last if span else None, _after(asked)]), default=None)
    found = published_between(db, span.first if span else None, end, CANDIDATES)
    if span is not None and not found:
        found = published_between(db, None, span.first, SHOWN)
    return found


def _after(moment: str | None) -> str | None:
    """An exclusive end that lets `moment` itself in."""
    parsed = parse_kst(moment)
    return (parsed + timedelta(seconds=1)).isoformat(timespec="seconds") if parsed else None
