"""Stories: the articles that report one news event, across outlets and hours.

Every article is placed in a story inside its own write transaction (store.articles), so
no article is ever stored without one. What places it is what the store knows of it, its
*profile*: the words of its title and lead, its body's words, the people, organisations
and places it names and the figures it states. analysis.stories builds the profile from
the Korean text at ingest; `stored_profile` rebuilds a plainer one from stored rows for
articles written before stories existed (migration 12).

Placing an article:

1. candidates: articles of its news day (the day before to the day after, three days
   either side for a print edition's day-only time) that share one of its rarest keys (title and lead words, names,
   figures). `story_keys` is indexed by (key, time), so each lookup reads rows of that
   window only: the cost does not grow with the store;
2. each candidate is scored by a logistic model over nine similarities (title, lead and
   body words, names, figures, how much of one title the other article holds, hours and
   calendar days apart), each word weighed by its rarity in the store; the weights were
   fitted on one half of a hand-labelled development set (bench/story_weights.py);
   a timed article and a candidate on another calendar day, more than six hours apart, are
   never of one story (`same_news_day`: the next day's article is a follow-up);
3. a story is as likely as its likeliest candidate, or as the words, names and figures
   two or more of its candidates share (`shared_profile`: ten outlets word one event ten
   ways, and a new angle on it may hold only their common words); the article joins the
   likeliest story when that reaches JOIN; another story it matches as well (MERGE) was
   the same event all along and is merged into that one. Otherwise the article starts a
   story of its own.

An opinion piece starts a story of its own and is never a candidate: a column about an
event is not a report of it. A near-copy of a stored article (store.dedup) joins its story
without scoring.
"""

from __future__ import annotations

import json
import math
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from store.engine import Database

_KST = timezone(timedelta(hours=9))

REPORT, FLASH, PHOTO, OPINION = "report", "flash", "photo", "opinion"

WINDOW = 3 * 86400  # seconds either side of an article's time in which its story may lie
# Keys looked up to find candidates: every title word, and the rarest names, figures and
# lead words (a word only this article has finds nothing, so the title comes first).
LOOKUPS = {"title": 8, "n:": 6, "f:": 2, "t:": 6}
ROWS_PER_KEY = 50  # at most this many window rows read per key (bounds a burst's cost)
CANDIDATES = 8  # candidate articles scored, those sharing the most key weight first (the dev
# partition is the same from 4 to 12; each one more is a profile parsed and scored)
BODY_TERMS = 50  # body words kept per article (the highest tf-idf ones)
LEAD_TERMS = 40  # lead words kept per article (the rarest ones)

# Logistic model over `similarities` (bench/story_weights.py fitted them on half A of
# ../shared/data/stories_dev.jsonl; half B checked them). Order as in SIMILARITIES.
SIMILARITIES = ("title", "lead", "body", "names", "figures", "title_in", "lead_in", "hours", "days")
WEIGHTS = (0.76, 1.99, 2.39, 0.41, 0.49, 3.61, 3.50, 0.85, -4.06)
BIAS = -4.30
ACROSS_MIDNIGHT = 6 * 3600  # seconds: timed articles this close may be of one story across midnight
NAME_SHRINK = 25.0  # about one rare name's weight squared
JOIN = 0.8  # probability that an article reports the candidate's event, to join its story
MERGE = 0.8  # ...and to merge another story it matches into the one it joins


@dataclass(slots=True)
class StoryProfile:
    """What an article says about its event, before weighing (analysis.stories builds it)."""

    kind: str = REPORT  # report, flash (속보), photo (a caption), opinion
    full: bool = True  # a full report: may lead its story (not a caption, 속보 line or column)
    title: list[str] = field(default_factory=list)  # title words (format markers left out)
    lead: list[str] = field(default_factory=list)  # title and lead words
    body: dict[str, int] = field(default_factory=dict)  # body word -> times it occurs
    names: list[str] = field(default_factory=list)  # folded PS/OG/LC keys (bylines left out)
    figures: list[str] = field(default_factory=list)  # amounts: '247명', '1e+08KRW'


@dataclass(slots=True)
class Weighted:
    """A placed article's profile, each word carrying its rarity at placement."""

    article_id: int
    story_id: int
    at: int  # epoch seconds: publication time, else when it was stored
    timed: bool  # False when only the day is known (00:00:00)
    kind: str
    title: dict[str, float]
    lead: dict[str, float]
    body: dict[str, float]  # tf-idf, unit length
    names: dict[str, float]
    figures: dict[str, float]
    # Derived once, since one article is scored against many: the parts' lengths (title,
    # lead, body, names), the title's and lead's total weight, and every lead or body word.
    # (The stored profile keeps the first two, so loading a candidate computes only reach.)
    norms: tuple[float, ...] = ()
    totals: tuple[float, ...] = ()
    reach: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if not self.norms:
            self.norms = tuple(math.sqrt(sum(w * w for w in part.values()))
                               for part in (self.title, self.lead, self.body, self.names))
            self.totals = (sum(self.title.values()), sum(self.lead.values()))
        self.reach = frozenset(self.lead) | frozenset(self.body)

    def keys(self) -> dict[str, float]:
        """Index keys with their weights: lead words, names, figures."""
        found = {"t:" + k: w for k, w in self.lead.items()}
        found.update({"n:" + k: w for k, w in self.names.items()})
        found.update({"f:" + k: w for k, w in self.figures.items()})
        return found

    def as_json(self) -> str:
        """The stored form: weights to two places (body weights, under 1, to three); the
        title's words only, since their weights are in the lead's."""
        def rounded(d: dict[str, float], places: int = 2) -> dict[str, float]:
            return {k: round(v, places) for k, v in d.items()}

        return json.dumps({"t": list(self.title), "l": rounded(self.lead),
                           "b": rounded(self.body, 3), "n": rounded(self.names),
                           "f": rounded(self.figures),
                           "s": [round(v, 3) for v in (*self.norms, *self.totals)]},
                          ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    kind: str
    first_at: str | None  # KST ISO time of its first and last article
    last_at: str | None
    articles: int
    outlets: int
    lead_article_id: int | None

    @property
    def related(self) -> int:
        """How many other articles the story has (a list's '관련 기사 N건')."""
        return max(self.articles - 1, 0)


STORY_COLUMNS = "id, kind, first_at, last_at, articles, outlets, lead_article_id"


# -- time ------------------------------------------------------------------------------------


def article_time(published_at: str | None, fallback: str | None = None) -> tuple[int, bool]:
    """(epoch seconds, whether the time of day is known) of an article's publication."""
    for value in (published_at, fallback):
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=_KST)
        local = moment.astimezone(_KST)
        timed = value is fallback or (local.hour, local.minute, local.second) != (0, 0, 0)
        return int(moment.timestamp()), timed
    return int(datetime.now(_KST).timestamp()), True


def _iso(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, _KST).isoformat(timespec="seconds")


KST_OFFSET = 9 * 3600  # seconds; Korea keeps no summer time


def _day(epoch: int) -> int:
    """The KST calendar day of a time, as a day number (only compared and subtracted).
    Arithmetic, not datetime: the candidate search asks it of every window row it reads."""
    return (epoch + KST_OFFSET) // 86400


# -- rarity ------------------------------------------------------------------------------------


def _counted(conn: Database, query: str, keys: Sequence[str]) -> dict[str, int]:
    """(key, count) rows of `query` ('SELECT key, n FROM t WHERE key IN') for `keys`, asked
    500 at a time (a statement takes a bounded number of parameters)."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        found.update(conn.execute(f"{query} ({','.join('?' * len(chunk))})", chunk).fetchall())
    return found


def _idf(total: int, df: int) -> float:
    return math.log((total + 1) / (df + 0.5))


def weigh(conn: Database, article_id: int, story_id: int, at: int, timed: bool,
          profile: StoryProfile) -> Weighted:
    """Weigh a profile's words by their rarity in the store now.

    Words weigh by how many stored sentences hold them (term_counts, the counts /ask weighs
    a question by); names and figures by how many articles carry them (story_key_counts).
    """
    words = sorted(set(profile.title) | set(profile.lead) | set(profile.body))
    counts = _counted(conn, "SELECT term, sentences FROM term_counts WHERE term IN", words)
    keys = ["n:" + k for k in profile.names] + ["f:" + k for k in profile.figures]
    key_counts = _counted(conn, "SELECT key, articles FROM story_key_counts WHERE key IN", keys)
    sentences, articles = (n or 0 for n in conn.execute(
        "SELECT (SELECT max(id) FROM sentences), (SELECT max(id) FROM articles)").fetchone())

    def word(w: str) -> float:
        return _idf(sentences, counts.get(w, 0))

    body = {w: (1 + math.log(n)) * word(w) for w, n in profile.body.items()}
    # Ties go by the word, so that a profile never depends on set order (hash seeds).
    body = dict(sorted(body.items(), key=lambda kv: (-kv[1], kv[0]))[:BODY_TERMS])
    norm = math.sqrt(sum(v * v for v in body.values())) or 1.0
    return Weighted(
        article_id, story_id, at, timed, profile.kind,
        title={w: word(w) for w in profile.title},
        lead=_lead_weights(profile, word),
        body={w: v / norm for w, v in body.items()},
        names={k: _idf(articles, key_counts.get("n:" + k, 0)) for k in profile.names},
        figures={k: _idf(articles, key_counts.get("f:" + k, 0)) for k in profile.figures},
    )


def _lead_weights(profile: StoryProfile, word: Callable[[str], float]) -> dict[str, float]:
    """The title's words and the rarest other lead words, LEAD_TERMS in all."""
    found = {w: word(w) for w in profile.title}
    others = sorted(((w, word(w)) for w in set(profile.lead) if w not in found),
                    key=lambda kv: (-kv[1], kv[0]))
    found.update(others[:max(LEAD_TERMS - len(found), 0)])
    return found


# -- similarity --------------------------------------------------------------------------------


def _dot(x: dict[str, float], y: dict[str, float]) -> float:
    if len(x) > len(y):
        x, y = y, x
    return sum(w * y[k] for k, w in x.items() if k in y)


def _held(x: dict[str, float], total: float, within: dict[str, float] | frozenset[str]) -> float:
    """Share of x's weight (`total`) whose words `within` holds."""
    return sum(w for k, w in x.items() if k in within) / total if total else 0.0


def similarities(x: Weighted, y: Weighted) -> tuple[float, ...]:
    """The model's inputs for two articles, in SIMILARITIES order: cosines of their title,
    lead, body and names (one shared name in two short articles is weak evidence, so small
    name sets are shrunk towards 0), the rarity of the figures they share, how much of one
    title the other's lead holds, how much of one lead the other's lead and body hold, and
    the hours and calendar days between them."""
    apart = abs(x.at - y.at)
    # Calendar days apart: news runs in daily cycles, and the next day's article with new
    # facts is another story; but two timed articles hours apart across midnight are not.
    days = 0 if x.timed and y.timed and apart < ACROSS_MIDNIGHT else abs(_day(x.at) - _day(y.at))
    # A day-only time (a print edition's 00:00) says nothing about the hours between them.
    hours = apart / 3600 if x.timed and y.timed else days * 24.0
    cosines = []
    for part, (a, b), (na, nb), shrink in zip(
        ("title", "lead", "body", "names"),
        ((x.title, y.title), (x.lead, y.lead), (x.body, y.body), (x.names, y.names)),
        zip(x.norms, y.norms), (0.0, 0.0, 0.0, NAME_SHRINK),
    ):
        dot = _dot(a, b) if na and nb else 0.0
        cosines.append(dot / (na * nb + shrink) if dot else 0.0)
    return (
        *cosines,
        math.log1p(sum(w for k, w in x.figures.items() if k in y.figures)),
        max(_held(x.title, x.totals[0], y.lead), _held(y.title, y.totals[0], x.lead)),
        max(_held(x.lead, x.totals[1], y.reach), _held(y.lead, y.totals[1], x.reach)),
        math.log1p(hours),
        float(min(days, 2)),
    )


def same_news_day(x: Weighted, y: Weighted) -> bool:
    """Whether y may be of x's story at all: news runs in daily cycles, and the next day's
    article with new facts is another story. Two articles whose times of day are known
    must be on one calendar day (KST) or within ACROSS_MIDNIGHT of each other; a day-only
    time (a print edition's 00:00, often the day after) leaves it to the model."""
    return _news_day_ok(x.at, x.timed, y.at, y.timed)


def _news_day_ok(at: int, timed: bool, other_at: int, other_timed: bool) -> bool:
    if not (timed and other_timed):
        return True
    return _day(at) == _day(other_at) or abs(at - other_at) < ACROSS_MIDNIGHT


def probability(features: Sequence[float]) -> float:
    """How likely two articles report one event, from their `similarities`."""
    z = BIAS + sum(w * f for w, f in zip(WEIGHTS, features))
    return 1.0 / (1.0 + math.exp(-z))


# -- placing an article ------------------------------------------------------------------------


class _ParsedProfiles:
    """Parsed stored profiles of recently scored articles, by their stored text: the same
    recent articles are candidates for many new ones, and parsing is most of loading one.
    Bounded, and safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[str, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def parsed(self, text: str) -> tuple:
        with self.lock:
            found = self.items.get(text)
            if found is not None:
                self.items.move_to_end(text)
                return found
        d = json.loads(text)
        lead, sizes = d["l"], d["s"]
        found = ({w: lead[w] for w in d["t"] if w in lead}, lead, d["b"], d["n"], d["f"],
                 tuple(sizes[:4]), tuple(sizes[4:]))
        with self.lock:
            self.items[text] = found
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return found


_PARSED = _ParsedProfiles(1024)


def _load(conn: Database, article_ids: Sequence[int]) -> list[Weighted]:
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    rows = conn.execute(
        f"SELECT p.article_id, a.story_id, p.at, p.timed, p.kind, p.profile FROM story_profiles p"
        f" JOIN articles a ON a.id = p.article_id WHERE p.article_id IN ({marks})"
        f" AND a.story_id IS NOT NULL ORDER BY p.article_id",
        list(article_ids),
    ).fetchall()
    return [Weighted(article_id, story_id, at, bool(timed), kind, *_PARSED.parsed(text))
            for article_id, story_id, at, timed, kind, text in rows]


def lookup_keys(x: Weighted) -> list[tuple[str, float]]:
    """The keys whose window rows may hold x's story, with their weights."""
    def rarest(items: dict[str, float], prefix: str, n: int) -> list[tuple[str, float]]:
        return [(prefix + k, w) for k, w in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]

    chosen = dict(rarest(x.title, "t:", LOOKUPS["title"]))
    for prefix, items in (("n:", x.names), ("f:", x.figures), ("t:", x.lead)):
        for key, weight in rarest({k: w for k, w in items.items() if prefix + k not in chosen},
                                  prefix, LOOKUPS[prefix]):
            chosen[key] = weight
    return list(chosen.items())


def window(x: Weighted) -> tuple[int, int]:
    """The times x's story may have articles at: the day before to the day after its own
    for a timed article (a print edition's day-only time may be either), WINDOW either
    side for a day-only one."""
    if not x.timed:
        return x.at - WINDOW, x.at + WINDOW
    local = datetime.fromtimestamp(x.at, _KST)
    midnight = int(local.replace(hour=0, minute=0, second=0, microsecond=0).timestamp())
    return midnight - 86400, midnight + 2 * 86400


def candidates(conn: Database, x: Weighted) -> list[Weighted]:
    """Placed articles of x's news day (`same_news_day`) that share its rarest keys, most
    shared weight first.

    One statement reads every key's window rows and adds up the weight each article
    shares (a statement per key and a Python loop over the ~700 rows they read were a
    quarter of the candidate search in a dense store). The news-day test is part of each key's lookup,
    so rows of another news day never take a key's ROWS_PER_KEY places."""
    keys = lookup_keys(x)
    if not keys:
        return []
    start, end = window(x)
    same_day, day_args = _news_day_clause(x)
    lookup = (
        # Ties (day-only times are all 00:00) go by article, newest first, so both
        # engines read the same rows; the primary key's order serves it either way.
        "SELECT * FROM (SELECT article_id, CAST(? AS INTEGER) AS w FROM story_keys"
        f" WHERE key = ? AND at BETWEEN ? AND ? AND article_id <> ?{same_day}"
        " ORDER BY at DESC, article_id DESC LIMIT ?) AS k{n}"
    )
    args: list[object] = []
    for key, weight in keys:
        # Weights in thousandths, summed as integers: both engines add them exactly alike.
        args += [round(weight * 1000), key, start, end, x.article_id, *day_args, ROWS_PER_KEY]
    rows = conn.execute(
        "SELECT article_id FROM (" + " UNION ALL ".join(lookup.format(n=n) for n in range(len(keys)))
        + ") AS shared GROUP BY article_id ORDER BY sum(w) DESC, article_id DESC LIMIT ?",
        (*args, CANDIDATES),
    ).fetchall()
    return [c for c in _load(conn, [r[0] for r in rows]) if c.kind != OPINION]


def _news_day_clause(x: Weighted) -> tuple[str, list[int]]:
    """`_news_day_ok` as SQL over story_keys.at: for a timed article, a row must be of its
    calendar day, within ACROSS_MIDNIGHT of it, or day-only (00:00:00 KST)."""
    if not x.timed:
        return "", []
    midnight = x.at - (x.at + KST_OFFSET) % 86400
    return (
        " AND (at BETWEEN ? AND ? OR (at > ? AND at < ?) OR (at + ?) % 86400 = 0)",
        [midnight, midnight + 86399, x.at - ACROSS_MIDNIGHT, x.at + ACROSS_MIDNIGHT, KST_OFFSET],
    )


def best_stories(conn: Database, x: Weighted) -> list[tuple[int, float]]:
    """(story id, probability) of the stories x may belong to, most likely first.

    A story is as likely as its likeliest candidate article, or as what two or more of its
    candidates share (`shared_profile`), whichever is higher: ten outlets each word an
    event their own way, and an article that matches none of them closely may still hold
    the words they have in common."""
    return story_probabilities(x, candidates(conn, x))


def story_probabilities(x: Weighted, scored_against: Sequence[Weighted]) -> list[tuple[int, float]]:
    """`best_stories` over given candidate articles."""
    members: dict[int, list[tuple[float, Weighted]]] = {}
    for c in scored_against:
        if same_news_day(x, c):
            members.setdefault(c.story_id, []).append((probability(similarities(x, c)), c))
    found: dict[int, float] = {}
    for story_id, scored in members.items():
        p, closest = max(scored, key=lambda pc: pc[0])
        if len(scored) >= 2:
            shared = shared_profile([c for _, c in scored], closest)
            p = max(p, probability(similarities(x, shared)))
        found[story_id] = p
    return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))


def shared_profile(articles: Sequence[Weighted], closest: Weighted) -> Weighted:
    """A profile of the words, names and figures that at least two of a story's `articles`
    hold, each at its mean weight, timed as the `closest` of them: the story's common
    wording, without any one outlet's angle."""
    def common(parts: list[dict[str, float]]) -> dict[str, float]:
        seen: dict[str, list[float]] = {}
        for part in parts:
            for k, w in part.items():
                seen.setdefault(k, []).append(w)
        return {k: sum(ws) / len(ws) for k, ws in seen.items() if len(ws) >= 2}

    # A profile's lead holds its title's words (at the same weights), so the shared lead
    # holds the shared title.
    lead = common([a.lead for a in articles])
    body = common([a.body for a in articles])
    norm = math.sqrt(sum(v * v for v in body.values())) or 1.0
    return Weighted(
        closest.article_id, closest.story_id, closest.at, closest.timed, closest.kind,
        title=common([a.title for a in articles]), lead=lead,
        body={k: v / norm for k, v in body.items()},
        names=common([a.names for a in articles]), figures=common([a.figures for a in articles]),
    )


def _write_profile(conn: Database, x: Weighted, full: bool) -> None:
    conn.execute(
        "INSERT INTO story_profiles (article_id, kind, full_report, at, timed, profile)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (x.article_id, x.kind, int(full), x.at, int(x.timed), x.as_json()),
    )
    # The keys it looks up with are the keys it is found by: about twenty rows an article.
    conn.insert_many(
        "INSERT INTO story_keys (key, at, article_id) VALUES (?, ?, ?)",
        [(k, x.at, x.article_id) for k in x.keys()], ("text", "bigint", "bigint"),
    )
    _count_keys(conn, [*("n:" + k for k in x.names), *("f:" + k for k in x.figures)], 1)


def _count_keys(conn: Database, keys: list[str], sign: int) -> None:
    conn.insert_many(
        "INSERT INTO story_key_counts (key, articles) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET articles = story_key_counts.articles + excluded.articles",
        [(k, sign) for k in keys], ("text", "bigint"),
    )
    if sign < 0:
        conn.executemany("DELETE FROM story_key_counts WHERE key = ? AND articles <= 0",
                         [(k,) for k in keys])


def _forget_profile(conn: Database, article_id: int) -> None:
    row = conn.execute("SELECT at, profile FROM story_profiles WHERE article_id = ?",
                       (article_id,)).fetchone()
    if row is None:
        return
    at, text = row
    d = json.loads(text)
    old = ["t:" + k for k in d["l"]] + ["n:" + k for k in d["n"]] + ["f:" + k for k in d["f"]]
    conn.executemany("DELETE FROM story_keys WHERE key = ? AND at = ? AND article_id = ?",
                     [(k, at, article_id) for k in old])
    _count_keys(conn, old[len(d["l"]):], -1)
    conn.execute("DELETE FROM story_profiles WHERE article_id = ?", (article_id,))


def place_article(
    conn: Database, article_id: int, profile: StoryProfile,
    published_at: str | None, copy_of: int | None = None,
) -> int:
    """Put a newly stored article into a story; returns the story's id. Runs inside the
    article's write transaction (the caller's)."""
    at, timed = _article_time(conn, article_id, published_at)
    x = weigh(conn, article_id, 0, at, timed, profile)
    story_id: int | None = None
    merged: list[int] = []
    if copy_of is not None:
        row = conn.execute("SELECT story_id FROM articles WHERE id = ?", (copy_of,)).fetchone()
        story_id = row[0] if row else None
    elif profile.kind != OPINION:
        ranked = best_stories(conn, x)
        if ranked and ranked[0][1] >= JOIN:
            merged = [s for s, p in ranked if p >= MERGE or s == ranked[0][0]]
            story_id = _merge(conn, merged)
    joined = story_id is not None
    if story_id is None:
        # A story of this one article: what refresh() would count, written at once.
        cur = conn.execute(
            "INSERT INTO stories (kind, first_at, last_at, articles, outlets, lead_article_id)"
            " VALUES (?, ?, ?, 1, 1, ?)",
            (OPINION if profile.kind == OPINION else REPORT, _iso(x.at), _iso(x.at), article_id))
        story_id = int(cur.lastrowid)
    x.story_id = story_id
    _write_profile(conn, x, profile.full)
    conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))
    if len(merged) > 1:
        refresh(conn, story_id)  # stories merged: counted again from their articles
    elif joined:
        _count_joined(conn, story_id, x, profile.full)
    return story_id


def _article_time(conn: Database, article_id: int, published_at: str | None) -> tuple[int, bool]:
    """article_time() of a stored article: its publication time, else when it was stored
    (read only when the publication time is missing or unreadable)."""
    if published_at:
        try:
            datetime.fromisoformat(published_at)
            return article_time(published_at)
        except ValueError:
            pass
    return article_time(published_at, _stored_at(conn, article_id))


def reprofile_article(conn: Database, article_id: int, profile: StoryProfile,
                      published_at: str | None) -> int | None:
    """A stored article was rewritten: its profile is replaced, its story kept."""
    _forget_profile(conn, article_id)
    row = conn.execute("SELECT story_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None or row[0] is None:
        return place_article(conn, article_id, profile, published_at)
    at, timed = _article_time(conn, article_id, published_at)
    x = weigh(conn, article_id, row[0], at, timed, profile)
    _write_profile(conn, x, profile.full)
    refresh(conn, row[0])
    return row[0]


def _stored_at(conn: Database, article_id: int) -> str | None:
    row = conn.execute("SELECT ingested_at FROM articles WHERE id = ?", (article_id,)).fetchone()
    return row[0] if row else None


def _merge(conn: Database, story_ids: list[int]) -> int:
    """Merge stories into the oldest of them (the one chats are likeliest to have been
    alerted about); returns its id. Alerts follow their articles' story."""
    keep = min(story_ids)
    for gone in story_ids:
        if gone == keep:
            continue
        conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
        conn.execute("UPDATE outbox SET story_id = ? WHERE story_id = ?", (keep, gone))
        conn.execute("DELETE FROM stories WHERE id = ?", (gone,))
    return keep


def _epoch(iso: str) -> int:
    """The epoch seconds `_iso` wrote as KST text."""
    return int(datetime.fromisoformat(iso).timestamp())


def _count_joined(conn: Database, story_id: int, x: Weighted, full: bool) -> None:
    """What refresh() would count after article x joined the story (its profile and
    story_id written), from the story's row and x alone: a long story costs no more to
    join than a short one."""
    row = conn.execute(
        "SELECT s.first_at, s.last_at, s.articles, s.outlets, s.lead_article_id, p.full_report,"
        " p.at, EXISTS (SELECT 1 FROM articles o WHERE o.story_id = s.id AND o.id != ?"
        "  AND o.publisher = (SELECT publisher FROM articles WHERE id = ?))"
        " FROM stories s LEFT JOIN story_profiles p ON p.article_id = s.lead_article_id"
        " WHERE s.id = ?",
        (x.article_id, x.article_id, story_id),
    ).fetchone()
    if row is None or not row[2] or row[0] is None or row[6] is None:
        refresh(conn, story_id)  # no counts to start from
        return
    first_at, last_at, count, outlets, lead, lead_full, lead_at, outlet_seen = row
    # The lead is the earliest full report: refresh()'s ORDER BY full_report DESC, at, id.
    if (-int(full), x.at, x.article_id) < (-lead_full, lead_at, lead):
        lead = x.article_id
    conn.execute(
        "UPDATE stories SET first_at = ?, last_at = ?, articles = ?, outlets = ?,"
        " lead_article_id = ? WHERE id = ?",
        (_iso(min(_epoch(first_at), x.at)), _iso(max(_epoch(last_at), x.at)), count + 1,
         outlets + (0 if outlet_seen else 1), lead, story_id),
    )


def refresh(conn: Database, story_id: int) -> None:
    """Recount a story: first and last times, articles, outlets, and its lead article (the
    earliest full report; the earliest article when it has none)."""
    first, last, count, outlets = conn.execute(
        "SELECT min(p.at), max(p.at), count(*), count(DISTINCT a.publisher) FROM articles a"
        " JOIN story_profiles p ON p.article_id = a.id WHERE a.story_id = ?",
        (story_id,),
    ).fetchone()
    lead = conn.execute(
        "SELECT a.id FROM articles a JOIN story_profiles p ON p.article_id = a.id"
        " WHERE a.story_id = ? ORDER BY p.full_report DESC, p.at, a.id LIMIT 1",
        (story_id,),
    ).fetchone()
    conn.execute(
        "UPDATE stories SET first_at = ?, last_at = ?, articles = ?, outlets = ?,"
        " lead_article_id = ? WHERE id = ?",
        (_iso(first), _iso(last), count, outlets, lead[0] if lead else None, story_id),
    )


# -- articles stored before stories (migration 12) ---------------------------------------------

_NAME_TYPES = ("PS", "OG", "LC")


def stored_profile(conn: Database, article_id: int) -> StoryProfile:
    """A profile from what the store holds of an article: its title and sentence morphemes,
    entity mentions and amounts. Plainer than analysis.stories builds at ingest (no word
    classes, bylines or kinds of piece are known here), but enough to group old articles."""
    title_morphs, body, publisher = conn.execute(
        "SELECT title_morphs, body, publisher FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    sentences = [r[0] for r in conn.execute(
        "SELECT morphs FROM sentences WHERE article_id = ? ORDER BY position", (article_id,))]
    counts: dict[str, int] = {}
    for morphs in sentences:
        for w in morphs.split():
            counts[w] = counts.get(w, 0) + 1
    names = {r[0] for r in conn.execute(
        "SELECT DISTINCT key FROM entity_mentions WHERE article_id = ? AND type IN (?, ?, ?)",
        (article_id, *_NAME_TYPES),
    ) if not any(c in r[0] for c in "=@/") and r[0] != publisher.lower()}
    figures = {figure_key(v, u) for v, u in conn.execute(
        "SELECT value, unit FROM fact_values WHERE article_id = ? AND kind IN ('money', 'quantity')"
        " AND value IS NOT NULL", (article_id,))}
    title = title_morphs.split()
    return StoryProfile(
        kind=REPORT, full=len(sentences) >= 3 and len(body) >= 120, title=title,
        lead=[w for m in sentences[:3] for w in m.split()] + title,
        body=counts, names=sorted(names), figures=sorted(figures),
    )


def figure_key(value: float, unit: str) -> str:
    """How an amount is compared across articles: its value and unit ('247명')."""
    return f"{value:g}{unit}"


def fill(conn: Database) -> int:
    """Place every stored article that has no story yet, in publication order."""
    rows = conn.execute(
        "SELECT id, published_at, dup_of FROM articles WHERE story_id IS NULL"
        " ORDER BY coalesce(published_at, ingested_at), id"
    ).fetchall()
    for article_id, published_at, dup_of in rows:
        place_article(conn, article_id, stored_profile(conn, article_id), published_at, dup_of)
    return len(rows)


# -- queries -----------------------------------------------------------------------------------


def _story(row: tuple) -> Story:
    return Story(*row)


def get_story(db: Database, story_id: int) -> Story | None:
    row = db.execute(f"SELECT {STORY_COLUMNS} FROM stories WHERE id = ?", [story_id]).fetchone()
    return _story(row) if row else None


def stories_of(db: Database, article_ids: Sequence[int]) -> dict[int, Story]:
    """The story of each article (articles without one are left out)."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    rows = db.execute(
        f"SELECT a.id, {', '.join('s.' + c.strip() for c in STORY_COLUMNS.split(','))}"
        f" FROM articles a JOIN stories s ON s.id = a.story_id WHERE a.id IN ({marks})",
        list(article_ids),
    )
    return {r[0]: _story(r[1:]) for r in rows}


def related_counts(db: Database, article_ids: Sequence[int]) -> dict[int, int]:
    """How many other articles each article's story has (a list's '관련 기사 N건')."""
    stories = stories_of(db, article_ids)
    return {a: stories[a].related if a in stories else 0 for a in article_ids}


def story_article_ids(db: Database, story_id: int, limit: int = 50) -> list[int]:
    """A story's articles in publication order (the first `limit`)."""
    rows = db.execute(
        "SELECT a.id FROM articles a JOIN story_profiles p ON p.article_id = a.id"
        " WHERE a.story_id = ? ORDER BY p.at, a.id LIMIT ?",
        [story_id, limit],
    )
    return [r[0] for r in rows]


def one_per_story(db: Database, article_ids: Sequence[int]) -> list[int]:
    """`article_ids` (best first) with only the first article of each story kept."""
    stories = stories_of(db, article_ids)
    seen: set[int] = set()
    kept = []
    for article_id in article_ids:
        story = stories.get(article_id)
        key = story.id if story else -article_id
        if key not in seen:
            seen.add(key)
            kept.append(article_id)
    return kept


def latest_stories(db: Database, limit: int = 5, offset: int = 0) -> list[Story]:
    """Stories with the newest last article first."""
    rows = db.execute(
        f"SELECT {STORY_COLUMNS} FROM stories WHERE articles > 0"
        " ORDER BY last_at IS NULL, last_at DESC, id DESC LIMIT ? OFFSET ?",
        [limit, offset],
    )
    return [_story(r) for r in rows]


def count_stories(db: Database) -> int:
    return db.execute("SELECT count(*) FROM stories WHERE articles > 0").fetchone()[0]


# -- what a story has said (for update alerts) ------------------------------------------------


@dataclass(slots=True)
class StoryFacts:
    """What a story's other articles state: amounts, what they count, days, quotes, titles."""

    figures: set[str] = field(default_factory=set)  # figure_key
    counted: set[tuple[str, str]] = field(default_factory=set)  # (unit, what is counted)
    dates: set[str] = field(default_factory=set)  # ISO days
    quotes: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    listed: set[int] = field(default_factory=set)  # items of a bulleted list an article printed


# Bullets of the items of the lists Korean news prints (personnel notices, winners,
# schedules): '▲주폴란드대사 선미라 ▲…'. A list's length is its most used bullet's count.
# (◇, ■, ◆ and the like head sections more often than items: '◇대사 ▲… ◇총영사 ▲…'.)
LIST_BULLETS = "▲△▷▶•"
LIST_MIN = 5  # fewer items are more often a few points made than a list tallied


def story_facts(conn: Database, story_id: int, except_article: int,
                limit: int = 200) -> StoryFacts:
    """What the story's other articles (its newest `limit`) state."""
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM articles WHERE story_id = ? AND id != ? ORDER BY id DESC LIMIT ?",
        (story_id, except_article, limit))]
    known = StoryFacts()
    if not ids:
        return known
    marks = ",".join("?" * len(ids))
    for kind, value, unit, counted, iso in conn.execute(
        f"SELECT kind, value, unit, counted, iso FROM fact_values WHERE article_id IN ({marks})",
        ids,
    ):
        if kind == "date":
            known.dates.add(iso)
        elif value is not None:
            known.figures.add(figure_key(value, unit))
            if counted:
                known.counted.add((unit, counted))
    known.quotes = [r[0] for r in conn.execute(
        f"SELECT text FROM quotes WHERE article_id IN ({marks})", ids)]
    known.titles = [r[0] for r in conn.execute(
        f"SELECT title FROM articles WHERE id IN ({marks})", ids)]
    # Counted by the engine, so no body is read into Python under the write lock.
    counts = ", ".join("length(body) - length(replace(body, ?, ''))" for _ in LIST_BULLETS)
    for row in conn.execute(f"SELECT {counts} FROM articles WHERE id IN ({marks})",
                            [*LIST_BULLETS, *ids]):
        if max(row) >= LIST_MIN:
            known.listed.add(max(row))
    return known


@dataclass(frozen=True, slots=True)
class Figure:
    """An amount as an article states it in its first sentences."""

    text: str  # the article's wording: '490여명'
    value: float
    unit: str
    counted: str  # what a counter counts, when the article says: '탑승객'


def lead_figures(db: Database, article_ids: Sequence[int], sentences: int = 3) -> dict[int, list[Figure]]:
    """The amounts each article states in its first `sentences` sentences, in order."""
    found: dict[int, list[Figure]] = {a: [] for a in article_ids}
    if not article_ids:
        return found
    marks = ",".join("?" * len(article_ids))
    rows = db.execute(
        f"SELECT v.article_id, v.text, v.value, v.unit, v.counted FROM fact_values v"
        f" JOIN sentences s ON s.id = v.sentence_id WHERE v.article_id IN ({marks})"
        f" AND s.position < ? AND v.kind IN ('money', 'quantity') AND v.value IS NOT NULL"
        f" ORDER BY v.article_id, s.position, v.id",
        [*article_ids, sentences],
    )
    for article_id, text, value, unit, counted in rows:
        found[article_id].append(Figure(text, value, unit, counted))
    return found
