"""Which of the articles a chat was shown a question that names nothing is about.

'왜 미뤘대?' after a list of five stories asks about the one that tells of a delay, not
about the first line: the article whose headline and sentences hold the most of the
question's words is the one it follows up (the first shown, when none holds any).
"""

from __future__ import annotations

from analysis import morph
from store.articles import get_articles
from store.engine import Database
from store.search import sentences_in

SHOWN = 10  # a list or bundle shows at most this many items


def followed_article(db: Database, terms: list[str], shown: list[int]) -> int:
    """The article of `shown` (in the order shown) that `terms` (a question's) are about."""
    candidates = shown[:SHOWN]
    wanted = set(terms)
    if len(candidates) < 2 or not wanted:
        return shown[0]
    held: dict[int, set[str]] = {a: set() for a in candidates}
    for sentence in sentences_in(db, candidates):
        held[sentence.article_id].update(wanted.intersection(sentence.morphs.split()))
    for article_id, article in get_articles(db, candidates).items():
        held[article_id].update(wanted.intersection(morph.index_terms_of(article.title)))
    # Ties go to the item shown first.
    return max(candidates, key=lambda a: (len(held[a]), -candidates.index(a)))
