"""/summary (placeholder)"""
from __future__ import annotations

from sqlite_utils import Database

from handlers.summarize import summarize
from store.articles import get_article
from store.digest import sentence_rows


def summary_sentences(db: Database, article_id: int, k: int = 3) -> list[str]:
    article = get_article(db, article_id)
    rows = sentence_rows(db, article_id)
    if article is None or not rows:
        return []
    picked = summarize(article.title, [r.text for r in rows], [r.morphs.split() for r in rows], k=k)
    return [rows[i].text for i in picked]
