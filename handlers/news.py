"""The newest stories on something, or of a time: '요즘 카카오 소식?', '오늘 뉴스 정리해줘',
`/summary 오늘`, a line each with '관련 기사 N건'. Numbered, so that a reply can say which one
('2번 자세히')."""

from __future__ import annotations

from analysis.grammar import has_final_consonant
from answer.latest import newest
from answer.question import Question
from handlers.format import news_line
from handlers.reply import Reply, esc
from handlers.services import Services
from store.stories import related_counts


def news_list(services: Services, question: Question) -> Reply:
    """'요즘 카카오 소식?', '오늘 뉴스 정리해줘': the newest articles on it, numbered, so a
    reply can say which one ('2번 자세히')."""
    found = newest(services.db, question)
    about = f"{found.subject} " if found.subject else ""
    if found.span is not None and not found.in_span:
        head = f"{time_topic(found.span.label)} {about}새 기사가 없어요. 가장 최근 기사예요."
    elif found.span is not None:
        head = f"{found.span.label} {about}기사예요."
    else:
        head = f"{about}최근 소식이에요."
    if not found.articles:
        return Reply(f"{esc(about)}관련 기사를 찾지 못했어요.".lstrip())
    related = related_counts(services.db, [a.id for a in found.articles])
    lines = [f"<b>{esc(head)}</b>"] + [news_line(i, a, related[a.id])
                                      for i, a in enumerate(found.articles, 1)]
    return Reply("\n".join(lines), article_ids=[a.id for a in found.articles])


def time_topic(label: str) -> str:
    """'오늘은', '어제는', '이번 주에는', '8월에는': a time as the topic of a sentence."""
    if label in ("오늘", "어제", "그저께"):
        return label + ("은" if has_final_consonant(label) else "는")
    return label + "에는"
