"""/story 번호: one story's articles in time order, a timeline with the figures that changed.

`/story #12` shows the story of article 12 (the number lists show). A reply '관련 기사' (or
'관련 기사 2') to a list or an alert the bot sent shows the story of that item.
"""

from __future__ import annotations

import re

from handlers.format import article_number, trim
from handlers.reply import Reply, esc, link
from handlers.services import ChatContext, Services
from store.articles import Article, get_article, get_articles
from store.stories import Figure, get_story, lead_figures, story_article_ids

SHOWN = 10  # articles on the timeline (a phone screen); the rest are counted
FIGURES_SHOWN = 3  # figures noted per article

_RELATED = re.compile(r"^\s*(?:(\d{1,2})\s*번\s*)?관련\s*기사\s*(?:(\d{1,2})\s*(?:번)?)?\s*(?:보여\s*줘|요)?\s*[?.!]*\s*$")
USAGE = "기사 번호를 함께 적어 주세요. 예: <code>/story #12</code> (목록의 #번호예요)"


def is_related_request(text: str) -> bool:
    """Whether a reply to the bot asks for a list item's related articles ('관련 기사 2')."""
    return bool(_RELATED.match(text))


def _chosen(args: str, chat: ChatContext) -> int | Reply:
    """The article the command is about, or a reply saying what is missing."""
    number = article_number(args)
    if number is not None:
        return number
    related = _RELATED.match(args)
    listed = chat.reply_to_articles
    if related and listed:
        item = related.group(1) or related.group(2)
        if item:
            if not 1 <= int(item) <= len(listed):
                return Reply(f"그 목록에는 {len(listed)}번까지 있어요.")
            return listed[int(item) - 1]
        if len(listed) == 1:
            return listed[0]
        return Reply("몇 번 기사의 관련 기사를 볼까요? 예: <code>관련 기사 2</code>")
    return Reply(USAGE)


def story(services: Services, args: str, chat: ChatContext) -> Reply:
    """/story #번호 — the story's articles in time order, with the figures that changed."""
    chosen = _chosen(args.strip(), chat)
    if isinstance(chosen, Reply):
        return chosen
    article = get_article(services.db, chosen)
    if article is None or article.story_id is None:
        return Reply(f"{chosen}번 기사를 찾지 못했어요. 목록의 #번호를 확인해 주세요.")
    found = get_story(services.db, article.story_id)
    ids = story_article_ids(services.db, article.story_id)
    if found is None or not ids:
        return Reply(f"{chosen}번 기사의 관련 기사를 찾지 못했어요.")
    articles = get_articles(services.db, ids)
    lead = articles.get(found.lead_article_id or ids[0], article)
    lines = [f"🧵 <b>{esc(trim(lead.title, 80) or '(제목 없음)')}</b>",
             " · ".join(p for p in (f"기사 {found.articles}건", f"{found.outlets}개 매체",
                                    _span(found.first_at, found.last_at)) if p)]
    if found.articles == 1:
        lines.append("아직 이 기사 하나뿐이에요.")
    shown = ids[:SHOWN]
    for number, (entry, notes) in enumerate(_timeline([articles[a] for a in shown],
                                                      lead_figures(services.db, shown)), 1):
        when = (entry.published_at or "")[5:16].replace("T", " ")
        meta = " · ".join(p for p in (when, esc(trim(entry.publisher, 20))) if p)
        marker = " ⭐" if entry.id == found.lead_article_id and found.articles > 1 else ""
        lines.append(f"{number}. {meta} — {link(entry.url, trim(entry.title, 50) or '(제목 없음)')}"
                     f" #{entry.id}{marker}")
        lines += [f"   · {esc(note)}" for note in notes]
    if len(ids) > SHOWN or found.articles > len(ids):
        rest = found.articles - len(shown)
        lines.append(f"외 {rest}건이 더 있어요.")
    return Reply("\n".join(lines), article_ids=shown)


def _span(first: str | None, last: str | None) -> str:
    """'10-28 09:18~23:07', or across days '10-28 09:18~10-29 20:25'."""
    if not first or not last:
        return ""
    a, b = first[5:16].replace("T", " "), last[5:16].replace("T", " ")
    if a == b:
        return a
    return f"{a}~{b[6:]}" if a[:5] == b[:5] else f"{a}~{b}"


def _timeline(
    articles: list[Article], figures: dict[int, list[Figure]]
) -> list[tuple[Article, list[str]]]:
    """Each article with notes on its figures: the first article's as they stand, later
    ones' when they change an earlier figure of the same thing (300여명 → 330명) or add one."""
    last: dict[tuple[str, str], Figure] = {}  # (unit, what is counted) -> latest figure
    said: set[tuple[float, str]] = set()
    out = []
    for position, entry in enumerate(articles):
        changed, added = [], []
        for f in figures.get(entry.id, []):
            key = (f.unit, f.counted)
            before = last.get(key)
            if (f.value, f.unit) in said:
                pass
            elif before is not None and f.counted and before.value != f.value:
                changed.append(f"{before.text} → {f.text}{_of(f)}")
            else:
                added.append(f.text + _of(f))
            last[key] = f
            said.add((f.value, f.unit))
        notes = []
        if changed:
            notes.append("바뀐 수치: " + ", ".join(dict.fromkeys(changed[:FIGURES_SHOWN])))
        if added:
            label = "수치" if position == 0 else "새 수치"
            notes.append(f"{label}: " + ", ".join(dict.fromkeys(added[:FIGURES_SHOWN])))
        out.append((entry, notes))
    return out


def _of(f: Figure) -> str:
    return f"({f.counted})" if f.counted and f.counted not in f.text else ""

