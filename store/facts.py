"""Extracted facts: entity mentions, people, amounts and dates, quotes; and the queries on them.

Every fact row names its article and sentence. `replace_facts` runs inside the article's
write transaction (store.articles), so an article and its facts change together, and
re-ingesting a changed article replaces its facts.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from store.engine import Database

# --- what ingest hands over (analysis.facts builds these, like PreparedArticle) ------------


@dataclass(frozen=True, slots=True)
class EntityMention:
    sentence: int  # index of the sentence in the article
    start: int
    end: int
    type: str  # PS, OG, LC, DT, TI, QT, PRODUCT
    text: str
    key: str  # what mentions of one thing share: a person's full name, a folded form


@dataclass(frozen=True, slots=True)
class PersonFact:
    name: str
    org: str
    title: str
    aliases: list[str]
    mentions: int
    first_sentence: int


@dataclass(frozen=True, slots=True)
class ValueFact:
    sentence: int
    kind: str  # 'money', 'quantity' or 'date'
    text: str  # the article's wording
    value: float | None = None  # amounts
    unit: str = ""  # amounts: KRW, 개, ...; dates: day, month, year, range
    qualifier: str = ""
    counted: str = ""
    iso: str = ""  # dates: '2024-12', '2025-01-01/2025-06-30'
    first: str = ""  # dates: first and last day covered, ISO
    last: str = ""


@dataclass(frozen=True, slots=True)
class QuoteFact:
    sentence: int
    last_sentence: int
    text: str
    kind: str  # person, anonymous, organisation
    name: str = ""
    org: str = ""
    title: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class AliasFact:
    sentence: int
    short: str  # '과기정통부', 'LH': what the article writes in brackets after the name
    full: str  # '과학기술정보통신부', '한국토지주택공사'


@dataclass(slots=True)
class ArticleFacts:
    mentions: list[EntityMention] = field(default_factory=list)
    people: list[PersonFact] = field(default_factory=list)
    values: list[ValueFact] = field(default_factory=list)
    quotes: list[QuoteFact] = field(default_factory=list)
    aliases: list[AliasFact] = field(default_factory=list)


# sentence_id has no foreign key: an article's sentences are deleted and re-inserted on
# every rewrite, and a cascade per sentence would need one more index per table. The
# rows go with their article (article_id cascades) and replace_facts rewrites them all.


def replace_facts(
    conn: Database,
    article_id: int,
    sentence_ids: list[int],
    facts: ArticleFacts,
    fresh: bool = False,
) -> None:
    """Delete an article's facts and write `facts`; the caller holds the transaction.

    `sentence_ids[i]` is the row id of the article's sentence i (the facts' sentence index).
    `fresh`: the article was inserted in this transaction, so it has no facts to delete.
    """
    c = conn
    if not fresh:
        for table in ("entity_mentions", "people", "fact_values", "quotes", "name_aliases"):
            c.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))
    sid = sentence_ids
    c.insert_many(
        "INSERT INTO entity_mentions (article_id, sentence_id, type, text, key, start_char,"
        " end_char) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, sid[m.sentence], m.type, m.text, m.key, m.start, m.end)
            for m in facts.mentions
        ],
        ("bigint", "bigint", "text", "text", "text", "bigint", "bigint"),
    )
    c.insert_many(
        "INSERT INTO people (article_id, name, org, title, aliases, mentions, first_sentence_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, p.name, p.org, p.title, json.dumps(p.aliases, ensure_ascii=False),
             p.mentions, sid[p.first_sentence])
            for p in facts.people
        ],
        ("bigint", "text", "text", "text", "text", "bigint", "bigint"),
    )
    c.insert_many(
        "INSERT INTO fact_values (article_id, sentence_id, kind, text, value, unit, qualifier,"
        " counted, iso, first_day, last_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, sid[v.sentence], v.kind, v.text, v.value, v.unit, v.qualifier,
             v.counted, v.iso, v.first, v.last)
            for v in facts.values
        ],
        ("bigint", "bigint", "text", "text", "float8", "text", "text", "text", "text", "text",
         "text"),
    )
    c.insert_many(
        "INSERT INTO name_aliases (article_id, sentence_id, short_key, short, full_key, full)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(article_id, sid[a.sentence], alias_key(a.short), a.short, alias_key(a.full), a.full)
         for a in facts.aliases],
        ("bigint", "bigint", "text", "text", "text", "text"),
    )
    c.insert_many(
        "INSERT INTO quotes (article_id, sentence_id, last_sentence_id, speaker_kind, speaker_name,"
        " speaker_org, speaker_title, speaker_label, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, sid[q.sentence], sid[q.last_sentence], q.kind, q.name, q.org, q.title,
             q.label, q.text)
            for q in facts.quotes
        ],
        ("bigint", "bigint", "bigint", "text", "text", "text", "text", "text", "text"),
    )


# --- names and their short forms --------------------------------------------------------


def alias_key(name: str) -> str:
    """How a name is looked up: NFC, no spaces, Latin lower-cased ('한국 토지 주택 공사' is
    한국토지주택공사)."""
    return "".join(unicodedata.normalize("NFC", name).split()).lower()


def stored_aliases(db: Database, names: list[str],
                   limit: int = 4) -> dict[str, list[str]]:
    """For each name, the other forms articles gave it (a short form's full name, a full
    name's short forms), most often given first; names with none are left out."""
    keys = list(dict.fromkeys(alias_key(n) for n in names if n.strip()))
    if not keys:
        return {}
    c = db
    marks = ",".join("?" * len(keys))
    found: dict[str, Counter[str]] = {}
    for key, other in c.execute(
        f"SELECT short_key, full FROM name_aliases WHERE short_key IN ({marks})"
        f" UNION ALL SELECT full_key, short FROM name_aliases WHERE full_key IN ({marks})",
        keys + keys,
    ):
        found.setdefault(key, Counter())[other] += 1
    by_key = {k: [o for o, _ in c.most_common(limit)] for k, c in found.items()}
    return {n: by_key[alias_key(n)] for n in names if alias_key(n) in by_key}


# --- looking people up -------------------------------------------------------------------

_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]


def jamo_key(text: str) -> str:
    """Letters of a Hangul string, silent initial ㅇ dropped: 정신아 and 정시나 become alike.

    Comparing letters rather than syllables makes one mistyped letter one small edit, and
    dropping the silent ㅇ makes a name typed as it sounds (liaison) match as written.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        code = ord(ch) - 0xAC00
        if 0 <= code < 11172:
            cho, jung, jong = code // 588, (code % 588) // 28, code % 28
            if _CHO[cho] != "ㅇ":
                out.append(_CHO[cho])
            out.append(_JUNG[jung])
            out.append(_JONG[jong])
        elif not ch.isspace():
            out.append(ch.lower())
    return "".join(out)


def known_names(db: Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT name FROM people")]


def known_orgs(db: Database) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT DISTINCT org FROM people WHERE org != ''"
            " UNION SELECT DISTINCT speaker_org FROM quotes WHERE speaker_org != ''"
        )
    ]


def best_match(candidates: list[str], choices: list[str], cutoff: float = 80) -> str | None:
    """The choice closest to any candidate: exact first, then by letters (typos)."""
    if not choices:
        return None
    exact = [c for c in candidates if c in set(choices)]
    if exact:
        return exact[0]
    keys = {c: jamo_key(c) for c in choices}
    best: tuple[float, str] | None = None
    for cand in candidates:
        if len(cand) < 2:
            continue
        hit = process.extractOne(jamo_key(cand), keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        if hit and (best is None or hit[1] > best[0]):
            best = (hit[1], hit[2])
    return best[1] if best else None


@dataclass(frozen=True, slots=True)
class Mention:
    article_id: int
    published_at: str | None
    title: str
    url: str
    publisher: str

    @property
    def date(self) -> str:
        return (self.published_at or "")[:10]


@dataclass(slots=True)
class PersonProfile:
    """One person across the store: a name and an organisation (동명이인 are told apart by it)."""

    name: str
    org: str
    title: str
    aliases: list[str] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # newest first
    latest: list[Mention] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return len(self.article_ids)


def person_profiles(db: Database, name: str, latest: int = 3,
                    also: Sequence[str] = ()) -> list[PersonProfile]:
    """Everyone stored under `name` (or a short form of it in `also`: '비건' for 스티븐
    비건), one profile per organisation, most mentioned first.

    Rows without an organisation join the profile with the same title, else the largest:
    an article that says only `김범수 창업자` is about the 김범수 others call 카카오 창업자.
    """
    names = [name, *also]
    rows = list(
        db.execute(
            "SELECT p.org, p.title, p.aliases, p.article_id, a.published_at, a.title, a.url,"
            " a.publisher FROM people p JOIN articles a ON a.id = p.article_id"
            f" WHERE p.name IN ({','.join('?' * len(names))}) AND a.dup_of IS NULL"
            " ORDER BY a.published_at IS NULL, a.published_at DESC, a.id DESC",
            names,
        )
    )
    groups: dict[str, list[tuple]] = {}
    for row in rows:
        if row[0]:
            groups.setdefault(row[0], []).append(row)
    for row in rows:
        if row[0]:
            continue
        if not groups:
            groups[""] = [row]
            continue
        same_title = [
            org for org, rs in groups.items() if row[1] and any(r[1] == row[1] for r in rs)
        ]
        target = max(same_title or list(groups), key=lambda org: len(groups[org]))
        groups[target].append(row)
    profiles = []
    for org, rs in groups.items():
        rs.sort(key=lambda r: (r[4] or "", r[3]), reverse=True)
        titles = Counter(r[1] for r in rs if r[1])
        # The newest title wins over an older one (people get promoted), the count breaks ties.
        title = next((r[1] for r in rs if r[1]), "")
        if titles and titles[title] < max(titles.values()) / 2:
            title = titles.most_common(1)[0][0]
        aliases: list[str] = []
        for r in rs:
            for alias in json.loads(r[2]):
                if alias not in aliases:
                    aliases.append(alias)
        article_ids = list(dict.fromkeys(r[3] for r in rs))
        seen: set[int] = set()
        mentions = []
        for r in rs:
            if r[3] not in seen and len(mentions) < latest:
                seen.add(r[3])
                mentions.append(Mention(r[3], r[4], r[5], r[6], r[7]))
        profiles.append(PersonProfile(name, org, title, aliases, article_ids, mentions))
    profiles.sort(key=lambda p: (-p.article_count, p.org))
    return profiles


@dataclass(frozen=True, slots=True)
class OrgPerson:
    name: str
    title: str
    article_count: int


def people_of_org(db: Database, org: str, limit: int = 6) -> list[OrgPerson]:
    """The people the articles name at `org`, most mentioned first.

    Counted as /who counts them (person_profiles), so both commands give the same numbers.
    """
    names = [r[0] for r in db.execute("SELECT DISTINCT name FROM people WHERE org = ?", [org])]
    found = []
    for name in names:
        for profile in person_profiles(db, name, latest=0):
            if profile.org == org:
                found.append(OrgPerson(name, profile.title, profile.article_count))
    found.sort(key=lambda p: (-p.article_count, p.name))
    return found[:limit]


# --- quotes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class QuoteRow:
    text: str
    speaker_kind: str
    speaker_name: str
    speaker_org: str
    speaker_title: str
    speaker_label: str
    article: Mention


_QUOTE_SELECT = (
    "SELECT q.text, q.speaker_kind, q.speaker_name, q.speaker_org, q.speaker_title,"
    " q.speaker_label, a.id, a.published_at, a.title, a.url, a.publisher"
    " FROM quotes q JOIN articles a ON a.id = q.article_id WHERE a.dup_of IS NULL AND "
)
_QUOTE_ORDER = " ORDER BY a.published_at IS NULL, a.published_at DESC, a.id DESC, q.id LIMIT ?"


def _quote_rows(rows: Iterable[tuple]) -> list[QuoteRow]:
    return [QuoteRow(*r[:6], Mention(*r[6:])) for r in rows]


def quotes_by_person(
    db: Database, name: str, org: str | None = None, limit: int = 5, also: Sequence[str] = (),
) -> list[QuoteRow]:
    """The newest quotes of a person (of one organisation when `org` is given), under
    `name` or a short form of it in `also`."""
    names = [name, *also]
    where = f"q.speaker_kind = 'person' AND q.speaker_name IN ({','.join('?' * len(names))})"
    args: list[str] = list(names)
    if org is not None:
        where += " AND q.speaker_org IN (?, '')"
        args.append(org)
    return _quote_rows(db.execute(_QUOTE_SELECT + where + _QUOTE_ORDER, [*args, limit]))


def quotes_by_org(db: Database, org: str, limit: int = 5) -> list[QuoteRow]:
    """The newest quotes by an organisation's people, its anonymous staff, or itself."""
    return _quote_rows(db.execute(_QUOTE_SELECT + "q.speaker_org = ?" + _QUOTE_ORDER, [org, limit]))


# --- amounts and dates -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ValueRow:
    article_id: int
    sentence_id: int
    kind: str
    text: str
    value: float | None
    unit: str
    qualifier: str
    counted: str
    iso: str


def amounts_in_article(db: Database, article_id: int) -> list[ValueRow]:
    """The money and quantity facts stored for one article, in sentence order."""
    return _values_in_article(db, article_id, ("money", "quantity"))


def dates_in_article(db: Database, article_id: int) -> list[ValueRow]:
    """The dates stored for one article (resolved against its publish date), in order."""
    return _values_in_article(db, article_id, ("date",))


def _values_in_article(db: Database, article_id: int, kinds: tuple[str, ...]) -> list[ValueRow]:
    marks = ",".join("?" * len(kinds))
    rows = db.execute(
        "SELECT article_id, sentence_id, kind, text, value, unit, qualifier, counted, iso"
        f" FROM fact_values WHERE article_id = ? AND kind IN ({marks})"
        " ORDER BY sentence_id, id",
        [article_id, *kinds],
    )
    return [ValueRow(*r) for r in rows]


def values_in_sentences(
    db: Database, sentence_ids: list[int], kind: str | None = None
) -> list[ValueRow]:
    """Amounts and dates stated in the given sentences (e.g. the ones a search found)."""
    if not sentence_ids:
        return []
    marks = ",".join("?" * len(sentence_ids))
    sql = (
        "SELECT article_id, sentence_id, kind, text, value, unit, qualifier, counted, iso"
        f" FROM fact_values WHERE sentence_id IN ({marks})"
    )
    args: list = list(sentence_ids)
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    return [ValueRow(*r) for r in db.execute(sql + " ORDER BY sentence_id, id", args)]


def mentions_in_articles(db: Database, article_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """(type, text) of every entity mention in the given articles, by sentence id."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    found: dict[int, list[tuple[str, str]]] = {}
    for sentence_id, typ, text in db.execute(
        f"SELECT sentence_id, type, text FROM entity_mentions WHERE article_id IN ({marks})"
        " ORDER BY sentence_id, start_char",
        list(article_ids),
    ):
        found.setdefault(sentence_id, []).append((typ, text))
    return found


@dataclass(frozen=True, slots=True)
class ArticlePerson:
    name: str
    org: str
    title: str
    mentions: int


def people_in_article(db: Database, article_id: int) -> list[ArticlePerson]:
    """The people one article names with their roles, most mentioned first."""
    rows = db.execute(
        "SELECT name, org, title, mentions FROM people WHERE article_id = ?"
        " ORDER BY mentions DESC, first_sentence_id",
        [article_id],
    )
    return [ArticlePerson(*r) for r in rows]
