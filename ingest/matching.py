"""Which chats a new article should alert: subscriptions matched on morphemes and entities.

Never substrings and never patterns a user wrote (no regular expressions from users, so
no ReDoS and no surprises):

- a subscription matches a text when its content morphemes appear there as consecutive
  Kiwi tokens, or when the term as written starts and ends on token boundaries there;
- and the match must be a whole word: a noun written without a space before or after it
  makes a longer compound, so `카카오` matches 카카오가 / 카카오는 / 카카오 측 but not
  카카오페이 or 카카오뱅크 (`/subscribe 카카오페이` matches those). A Latin term next to
  Hangul is still a word (AI반도체 is about AI);
- a subscription also matches the article's entity mentions (store.facts): a person
  subscription matches every mention keyed by that person's full name, aliases such as
  `정 대표` included, and an organisation its other names found in the store (see
  `entity_aliases`).

`enqueue_alerts` runs inside the article's write transaction (store.articles) for new
articles only: it matches before the write lock (the work of it, Kiwi included, needs only
the article), and writes the outbox rows once the article was placed in its story, so the
article and its alerts commit together. A chat is alerted once a story; a later article of
it alerts a chat again only as an update bringing a new fact (analysis.stories.new_fact).
Articles published long ago (an old archive being read in) alert nobody.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from analysis import morph
from analysis.dates import parse_kst
from analysis.stories import new_fact
from analysis.terms import entity_key
from store.articles import PreparedArticle
from store.engine import Database, has_table
from store.facts import ArticleFacts
from store.outbox import alerted_chats, enqueue
from store.stories import FLASH, PHOTO, story_facts
from store.subscriptions import Subscription, active_subscriptions

log = logging.getLogger(__name__)

# A neighbour with one of these tags written without a space makes the match part of a
# longer word (카카오+페이). Particles, endings and suffixes (들, 적, 측 as NNB) do not.
COMPOUND_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SH", "SN", "XR"})
LATIN = frozenset({"SL", "SN", "SH"})
ENTITY_TYPES = ("PS", "OG", "PRODUCT")
MAX_AGE = timedelta(days=3)  # older articles are archive reading, not news to alert about


@dataclass(frozen=True, slots=True)
class Match:
    chat_id: int
    subscription_id: int
    term: str
    where: str  # 'title', 'body' or 'entity'


# -- one text ----------------------------------------------------------------------------


def _joined(edge: morph.Token, neighbour: morph.Token) -> bool:
    """True when `neighbour`, written right against `edge`, makes them one longer word."""
    if neighbour.tag not in COMPOUND_TAGS:
        return False
    # A Latin word against Hangul is still its own word (AI반도체, 생성형AI); Hangul
    # against Hangul or Latin against Latin is one compound.
    return not (edge.tag in LATIN and neighbour.tag not in LATIN)


def _whole_word(toks: Sequence[morph.Token], first: int, last: int) -> bool:
    if first > 0:
        prev = toks[first - 1]
        if prev.end == toks[first].start and _joined(toks[first], prev):
            return False
    if last + 1 < len(toks):
        nxt = toks[last + 1]
        if nxt.start == toks[last].end and _joined(toks[last], nxt):
            return False
    return True


def occurs(text: str, toks: Sequence[morph.Token], key: Sequence[str], surface: str) -> bool:
    """Whether a subscription (its morphemes `key`, its folded `surface`) occurs in `text`
    as whole words. `toks` are Kiwi tokens of `text`."""
    n = len(key)
    if n:
        for i in range(len(toks) - n + 1):
            if all(
                toks[i + k].tag in morph.CONTENT_TAGS and toks[i + k].form.lower() == key[k]
                for k in range(n)
            ) and _whole_word(toks, i, i + n - 1):
                return True
    # The term as written, on token boundaries: Kiwi may split a name differently alone
    # than in a sentence (정신아), and symbols inside a term (GPT-4) are not morphemes.
    if not surface:
        return False
    lowered = text.lower()
    starts = {t.start: i for i, t in enumerate(toks)}
    ends = {t.end: i for i, t in enumerate(toks)}
    pos = lowered.find(surface)
    while pos != -1:
        end = pos + len(surface)
        if pos in starts and end in ends and _whole_word(toks, starts[pos], ends[end]):
            return True
        pos = lowered.find(surface, pos + 1)
    return False


class _Texts:
    """An article's title and sentences, tokenized only where a subscription might occur."""

    def __init__(self, title: str, title_morphs: str, sentences: Sequence[tuple[str, str]]):
        self.items = [(title, set(title_morphs.split()))] + [
            (text, set(morphs.split())) for text, morphs in sentences
        ]
        self.lowered = [text.lower() for text, _ in self.items]
        self._tokens: dict[int, list[morph.Token]] = {}

    def tokens(self, index: int) -> list[morph.Token]:
        if index not in self._tokens:
            self._tokens[index] = morph.tokens(self.items[index][0])
        return self._tokens[index]

    def first_occurrence(self, key: Sequence[str], surface: str) -> int | None:
        """Index of the first text (0 = title) the subscription occurs in, or None."""
        for index, (text, morph_set) in enumerate(self.items):
            maybe = (key and all(m in morph_set for m in key)) or (
                surface and surface in self.lowered[index]
            )
            if maybe and occurs(text, self.tokens(index), key, surface):
                return index
        return None


# -- entities ----------------------------------------------------------------------------


def mention_keys(facts: ArticleFacts) -> set[str]:
    """The keys `article_entity_keys` reads from the store, from the facts written there."""
    return {m.key for m in facts.mentions if m.type in ENTITY_TYPES}


def article_entity_keys(conn: Database, article_id: int) -> set[str]:
    """Keys of the people, organisations and products the article mentions (store.facts)."""
    if not has_table(conn, "entity_mentions"):
        return set()
    rows = conn.execute(
        "SELECT DISTINCT key FROM entity_mentions WHERE article_id = ? AND type IN (?, ?, ?)",
        (article_id, *ENTITY_TYPES),
    )
    return {r[0] for r in rows}


def entity_aliases(conn: Database, term: str, limit: int = 8) -> list[str]:
    """Other keys the same person or organisation goes by, from what the store knows.

    - a person's alias (`김범수 창업자`) resolves to the full name mentions are keyed by;
    - an organisation written with its other-script name in parentheses somewhere in the
      store (`카카오(Kakao)`, `Kakao(카카오)`) gets that name too.
    This is the place to extend with a proper alias table.
    """
    key = entity_key(term)
    found: list[str] = []
    if has_table(conn, "people"):
        for name, aliases in conn.execute(
            "SELECT DISTINCT name, aliases FROM people WHERE aliases LIKE ?",
            ("%" + term.replace("%", "").replace("_", "") + "%",),
        ):
            if term in json.loads(aliases) and entity_key(name) != key:
                found.append(entity_key(name))
    is_entity = has_table(conn, "entity_mentions") and conn.execute(
        "SELECT 1 FROM entity_mentions WHERE key = ? AND type IN (?, ?, ?) LIMIT 1",
        (key, *ENTITY_TYPES),
    ).fetchone()
    if is_entity:
        escaped = re.escape(term)  # our own pattern around the user's literal text
        after = re.compile(escaped + r"\(([A-Za-z][A-Za-z0-9 .&-]{1,30}|[가-힣][가-힣 ]{0,15})\)")
        before = re.compile(r"([A-Za-z][A-Za-z0-9.&-]{1,30}|[가-힣]{2,15})\(" + escaped + r"\)")
        rows = conn.execute(
            "SELECT text FROM sentences WHERE instr(text, ?) > 0 LIMIT 200", (term + "(",)
        ).fetchall() + conn.execute(
            "SELECT text FROM sentences WHERE instr(text, ?) > 0 LIMIT 200", ("(" + term + ")",)
        ).fetchall()
        for (text,) in rows:
            for pattern in (after, before):
                for m in pattern.finditer(text):
                    alias = entity_key(m.group(1))
                    if alias != key and alias not in found:
                        found.append(alias)
    return found[:limit]


# -- one article -------------------------------------------------------------------------


def find_matches(
    conn: Database,
    article_id: int,
    title: str,
    title_morphs: str,
    sentences: Sequence[tuple[str, str]],
    subscriptions: Sequence[Subscription] | None = None,
    entity_keys: set[str] | None = None,
) -> list[Match]:
    """One match per chat whose subscriptions the article matches (title first, then body,
    then entities; the oldest subscription of the chat among equals). `entity_keys`: the
    article's (`mention_keys`), when the caller has them; else they are read from the store."""
    subs = active_subscriptions(conn) if subscriptions is None else subscriptions
    if not subs:
        return []
    texts = _Texts(title, title_morphs, sentences)
    if entity_keys is None:
        entity_keys = article_entity_keys(conn, article_id)
    # Chats share subscriptions (many follow 카카오): each term is looked for once.
    found: dict[tuple[str, str], int | None] = {}  # (match key, surface) -> first text
    best: dict[int, tuple[int, Match]] = {}
    for sub in subs:
        surface = entity_key(sub.term)
        if (sub.match_key, surface) not in found:
            found[(sub.match_key, surface)] = texts.first_occurrence(sub.match_key.split(), surface)
        index = found[(sub.match_key, surface)]
        if index is not None:
            rank, where = (0, "title") if index == 0 else (1, "body")
        elif entity_keys and ({entity_key(sub.term), *sub.aliases} & entity_keys):
            rank, where = 2, "entity"
        else:
            continue
        current = best.get(sub.chat_id)
        if current is None or rank < current[0]:
            best[sub.chat_id] = (rank, Match(sub.chat_id, sub.id, sub.term, where))
    return [match for _, match in best.values()]


def _too_old(published_at: str | None, now: datetime) -> bool:
    when = parse_kst(published_at)
    return when is not None and now - when > MAX_AGE


def enqueue_alerts(
    conn: Database, article_id: int, article: PreparedArticle
) -> Callable[[Database, int], int] | None:
    """Match a new article against the subscriptions (inside its transaction, before the
    write lock: this needs only the article's own rows); returns the step that writes the
    outbox rows once the article is placed in its story, or None when no chat matches."""
    if _too_old(article.published_at, datetime.now(timezone.utc)):
        return None
    subscriptions = active_subscriptions(conn)
    if not subscriptions:
        return None  # nothing to match: no Kiwi work at all
    matches = find_matches(
        conn, article_id, article.title, article.title_morphs,
        [(s.text, s.morphs) for s in article.sentences], subscriptions,
        mention_keys(article.facts) if article.facts is not None else None,
    )
    if not matches:
        return None
    return lambda placed, story_id: _enqueue(placed, article_id, story_id, article, matches)


def _enqueue(conn: Database, article_id: int, story_id: int, article: PreparedArticle,
             matches: list[Match]) -> int:
    """The outbox rows of a placed article's matches (under the write lock: whether a chat
    has this story's alert already depends on the articles written before)."""
    note = ""
    if alerted_chats(conn, story_id, [m.chat_id for m in matches]):
        # A story some of these chats know: an update only for a new fact of it.
        texts = [s.text for s in article.sentences]
        note = new_fact(article.title, texts, article.facts or ArticleFacts(),
                        article.published_at, story_facts(conn, story_id, article_id))
    # A 속보 line, live link or caption by its markers; a short report (a feed's teaser whose
    # page did not come) is the news itself and is not held.
    stub = article.story is not None and article.story.kind in (FLASH, PHOTO)
    written = enqueue(conn, article_id, story_id, [(m.chat_id, m.term) for m in matches],
                      time.time(), note, stub)
    log.debug("article %s: %d matches, %d alerts queued", article_id, len(matches), written)
    return written
