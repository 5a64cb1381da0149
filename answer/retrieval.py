"""Finding the sentences that answer a question.

Candidates come from SQLite FTS5 (BM25 over Kiwi morphemes, title weighted) at article and
sentence level; a few dozen candidate articles are then re-ranked in Python with:
- sentence BM25 with our own cached IDF (a question usually paraphrases one sentence, so the
  best sentence says more than the whole article does), plus its neighbours' help;
- phrase matches: adjacent question morphemes that stay adjacent in the sentence;
- how much of the question's IDF weight the article and its title cover;
- the kind of value asked for (언제 -> a date, 몇/얼마 -> an amount) being in the sentence.
Newer articles win when close candidates disagree. Document frequencies are cached per
store generation, so a question costs a handful of indexed queries, not a corpus scan.
"""

from __future__ import annotations

import math
import re
import weakref
from dataclasses import dataclass, field, replace

from rapidfuzz.distance import Levenshtein

from analysis import morph
from analysis.paraphrase import kin_of
from analysis.roles import is_name
from analysis.romanize import latin_spellings
from answer.kinds import gives_reason, kind_values, lists_items
from answer.question import Question, SpelledWord, WrittenWord, holds_predicate
from store.articles import Article, get_articles
from store.engine import Database
from store.facts import jamo_key, mentions_in_articles, stored_aliases
from store.search import (
    SentenceHit,
    index_generation,
    phrase_doc_count,
    search_articles,
    search_sentences,
    sentence_stats,
    sentences_in,
    term_doc_counts,
)
from store.term_counts import sentence_counts, terms_starting_with


@dataclass
class Params:
    """The knobs of ranking; defaults were tuned on one half of a development set."""

    doc_candidates: int = 6  # articles taken from the article index
    sentence_candidates: int = 0  # sentences from the sentence index (added nothing on dev)
    k1: float = 1.2
    b: float = 0.5
    name_boost: float = 1.3  # IDF multiplier for names, numbers and foreign words
    w_doc: float = 0.35  # article BM25 (title weighted), relative to the best candidate
    w_sent: float = 0.45  # best sentence (BM25 share of the question's weight)
    w_phrase: float = 0.25  # share of question bigrams found adjacent in the sentence
    w_neighbour: float = 0.25  # help from the sentences just before and after
    w_doc_cover: float = 0.25  # share of the question's weight anywhere in the article
    w_title: float = 0.2  # share of the question's weight in the title
    w_kind: float = 0.08  # the sentence holds a value of the asked kind
    w_novel: float = 0.1  # the sentence says something the question does not (an answer)
    w_answer: float = 0.05  # the sentence names a thing of the asked type the question does not
    w_predicate: float = 0.03  # the sentence holds the question's predicate
    w_reason: float = 0.1  # a why/how question: the sentence gives a reason or a means
    w_reason_local: float = 1.0  # ...and inside the answering article, near its best sentence
    local_idf: float = 1.0  # a term in every sentence of an article does not pick one of them
    w_prefer: float = 0.4  # articles a follow-up question continues from
    # 0.02 rather than 0.08: the same hit@1 at 10,000 documents, p95 26 ms -> 15 ms.
    common_share: float = 0.02  # terms in more sentences than this share stay out of MATCH
    common_floor: int = 500  # ...but only in a store big enough for that to cost time
    # The candidate query reads every posting of each term it holds: past this many
    # sentences (summed over the terms, rarest first) the commoner terms only rerank.
    postings_budget: int = 4_000
    min_confidence: float = 0.25  # share of the question's weight the answer must hold
    max_missing: float = 0.5  # abstain when unknown terms carry this share of the weight
    related_share: float = 0.3  # weight of a predicate's kin (선정 for 뽑히다), of its own


PARAMS = Params()


@dataclass(slots=True)
class Evidence:
    sentence: SentenceHit
    article: Article
    score: float  # article score (ranking)
    coverage: float  # share of the question's weight in the answer sentence (title helps)
    sentence_score: float = 0.0
    others: list[SentenceHit] = field(default_factory=list)  # the article's sentences
    sentence_scores: list[float] = field(default_factory=list)  # one per sentence in `others`
    # Named things of the asked type in the article that the question does not name: the
    # likely answers ('…한 인물은?' -> the people named), by sentence id.
    answers: dict[int, list[str]] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # term weights inside this article
    # (type, text) of the organisations, people, products and places each sentence names,
    # by sentence id.
    names: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)


@dataclass(slots=True)
class Retrieval:
    question: Question
    evidence: list[Evidence]  # best sentence per article, best article first
    confident: bool
    confidence: float = 0.0
    # The question's terms no article holds (or holds only in pieces), and their share of
    # its weight: an answer despite them is the nearest the articles come, not a sure one.
    unknown: tuple[str, ...] = ()
    missing: float = 0.0


_Parsed = tuple[list[str], set[str], set[tuple[str, str]]]  # terms, their set, adjacent pairs


@dataclass
class _Stats:
    generation: tuple[int, int]
    total: int
    avg_len: float
    df: dict[str, int] = field(default_factory=dict)
    parsed: dict[int, _Parsed] = field(default_factory=dict)
    articles: dict[int, tuple[Article, list[SentenceHit]]] = field(default_factory=dict)
    mentions: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # by sentence id
    headline_only: set[str] = field(default_factory=set)  # terms in no sentence, in a title
    phrases: dict[str, int] = field(default_factory=dict)  # articles holding a compound whole


PARSED_CACHE = 50_000  # sentences whose split terms are kept between questions
ARTICLE_CACHE = 3_000  # articles (with their sentences) kept between questions


_stats: weakref.WeakKeyDictionary[Database, _Stats] = weakref.WeakKeyDictionary()


def _stats_for(db: Database) -> _Stats:
    """Sentence count, mean length and a DF cache, rebuilt when the store changes."""
    generation = index_generation(db)
    cached = _stats.get(db)
    if cached is None or cached.generation != generation:
        total, avg_len = sentence_stats(db)
        cached = _Stats(generation, total, avg_len)
        _stats[db] = cached
    return cached


def _parsed(stats: _Stats, s: SentenceHit) -> _Parsed:
    """A sentence's terms, their set and adjacent pairs; cached while the store is unchanged."""
    found = stats.parsed.get(s.sentence_id)
    if found is None:
        words = s.morphs.split()
        # Kiwi splits a compound one time and not the next (매개변수 / 매개 변수): adjacent
        # morphemes joined count as present, so either spelling of the question matches.
        joined = {a + b for a, b in zip(words, words[1:])}
        found = (words, set(words) | joined, set(zip(words, words[1:])))
        if len(stats.parsed) >= PARSED_CACHE:
            stats.parsed.clear()
        stats.parsed[s.sentence_id] = found
    return found


def _articles_with_sentences(
    db: Database, stats: _Stats, ids: list[int]
) -> tuple[dict[int, Article], dict[int, list[SentenceHit]]]:
    """Articles and their sentences, from the per-generation cache where possible."""
    missing = [a for a in ids if a not in stats.articles]
    if missing:
        if len(stats.articles) + len(missing) > ARTICLE_CACHE:
            stats.articles.clear()
            stats.mentions.clear()
        fetched = get_articles(db, missing)
        stats.mentions.update(mentions_in_articles(db, list(fetched)))
        grouped: dict[int, list[SentenceHit]] = {a: [] for a in fetched}
        for s in sentences_in(db, list(fetched)):
            grouped[s.article_id].append(s)
        for a, article in fetched.items():
            stats.articles[a] = (article, grouped[a])
    found = [a for a in ids if a in stats.articles and stats.articles[a][1]]
    return ({a: stats.articles[a][0] for a in found}, {a: stats.articles[a][1] for a in found})


def _idf(total: int, df: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


_PARTICLES = ("에서", "으로", "에게", "의", "은", "는", "이", "가", "을", "를", "에", "와", "과", "도", "로")


def _known(stats: _Stats, db: Database, terms: list[str]) -> None:
    """Sentence document frequencies of `terms`, cached. A term the sentence index has no
    entry for may still be known: as a phrase ('2.0' is indexed as 2 and 0), or from a
    headline alone ('SKT' in the title, 'SK텔레콤' in the body); such a term counts as rare
    rather than unknown, so a question about it is answered, not declined."""
    unknown = [t for t in dict.fromkeys(terms) if t not in stats.df]
    if not unknown:
        return
    found = sentence_counts(db, unknown)
    for t in unknown:
        stats.df[t] = found.get(t, 0)
    missing = [t for t in unknown if not stats.df[t]]
    for t in missing:
        if not t.isalnum():
            stats.df[t] = phrase_doc_count(db, t)
    in_articles = term_doc_counts(db, [t for t in missing if not stats.df[t]], "articles_fts")
    stats.headline_only.update(t for t, n in in_articles.items() if n)


def _doc_count(stats: _Stats, term: str) -> int:
    """Sentence document frequency; a term only headlines hold counts as found once."""
    return stats.df[term] or (1 if term in stats.headline_only else 0)


def repair_terms(db: Database, question: Question, stats: _Stats | None = None) -> Question:
    """Unknown terms the analyser glued together ('전현희의', '제나기즈') mapped onto known ones.

    Spacing and rare names make Kiwi read a name with its particle as one noun, or two
    names as one; when the index knows the pieces, the pieces are what to look for.
    """
    stats = stats or _stats_for(db)
    _known(stats, db, question.terms)
    fixes: dict[str, list[str]] = {}
    extra: list[str] = []
    for term in question.terms:
        if _doc_count(stats, term) or len(term) < 3:
            continue
        stems = [term[: -len(x)] for x in _PARTICLES if term.endswith(x) and len(term) - len(x) >= 2]
        # The name alone, or as the analyser reads it without its particle ('기독교대한감리회의').
        options = [[stem] for stem in stems] + [
            pieces for stem in stems if (pieces := morph.index_terms_of(stem))]
        options += [[term[:i], term[i:]] for i in range(2, len(term) - 1)]
        if term in question.names and re.fullmatch(r"[가-힣]{3}", term):
            # A three-syllable name the articles' analysis read as surname + noun (유 + 영상).
            options.append([term[:1], term[1:]])
        _known(stats, db, [piece for option in options for piece in option])
        for option in options:
            if all(_doc_count(stats, piece) for piece in option):  # a headline's name too
                fixes[term] = option
                break
    # A word the question's analysis split off a prefix of ('신약' read as 신 + 약) that the
    # index knows whole: the whole word stands for the piece.
    for w in _known_as_written(db, stats, question):
        if len(w.terms) == 1 and w.terms[0] not in fixes:
            fixes[w.terms[0]] = [w.surface.lower()]
    # A name Kiwi broke up in the question ('윤종오' read as 윤 + 종 + 오, '비건' as a verb)
    # that the index knows as spelled: the name stands for its one-syllable pieces.
    broken = _broken_names(db, stats, question)
    if any(question.predicate_stem[0].lower() in w.terms for w in broken):
        # '비건 이번이 …': the verb the analysis read in the name was no predicate.
        question = replace(question, predicate=(), predicate_stem=("", ""))
    for w in broken:
        pieces = [p for p in w.terms if len(p) == 1 and p not in fixes]
        for i, piece in enumerate(pieces):
            fixes[piece] = [w.forms[0]] if i == 0 else []
        if not pieces:
            extra.append(w.forms[0])  # nothing to replace: the name is looked for too
    # A word no article holds that is one slip away from one they do (하람렙 / 하람랩,
    # 업스테지 / 업스테이지): the known word is looked for.
    corrected: dict[str, str] = {}
    for term in question.terms:
        # Names only: an everyday word no article uses (요즘, 소식) is no typo of one they do.
        name_like = term in question.names or len(term) >= 3
        if name_like and term not in fixes and not _doc_count(stats, term):
            nearest = nearest_known_term(db, term)
            if nearest:
                fixes[term] = [nearest]
                corrected[term] = nearest
    # A model name the index does not know as one word: its pieces stand for it.
    for name in question.model_names:
        if not _doc_count(stats, name):
            fixes[name] = []

    def fixed(items: list[str] | tuple[str, ...]) -> list[str]:
        return [piece for t in items for piece in fixes.get(t, [t])]

    terms = list(dict.fromkeys(fixed(question.terms) + extra))
    question = with_alternatives(db, question, terms)
    sequence = tuple(fixed(question.sequence))
    names = set(fixed(list(question.names)))
    # A word read as pieces is a compound the articles must hold whole ('한국은행').
    # A compound holding a name the index knows as spelled is attested by that name.
    spelled = {w.forms[0] for w in broken}
    compounds = tuple(tuple(fixed(c)) for c in question.compounds)
    compounds = tuple(c for c in compounds if not spelled & set(c))
    compounds += tuple(tuple(pieces) for pieces in fixes.values() if len(pieces) >= 2)
    # The other way round: the question split a name that articles keep whole (별 샘 /
    # 별샘, a new product Kiwi does not know); the whole form is looked for too.
    pairs = [(a, b) for a, b in zip(sequence, sequence[1:])
             if a in terms and b in terms and (a + b).isalpha()]
    _known(stats, db, [a + b for a, b in pairs])
    joins = [(a, b) for a, b in pairs if stats.df[a + b] and a + b not in terms]
    if not fixes and not joins and not extra:
        return replace(question, terms=terms)
    if corrected:
        question = replace(question, corrected={**question.corrected, **corrected})
    for a, b in joins:
        terms.insert(terms.index(b) + 1, a + b)
        if a in names or b in names:
            names.add(a + b)
    wholes = {a + b: (a, b) for a, b in joins}
    return replace(question, terms=terms, sequence=sequence, names=frozenset(names),
                   wholes=wholes, compounds=compounds)


def with_alternatives(db: Database, question: Question, terms: list[str]) -> Question:
    """The question with the short forms articles defined for its words added to its
    alternatives (금통위 -> 금융통화위원회), and every alternative as index terms."""
    words = [f for w in question.spelled for f in w.forms if f in terms]
    alternatives = dict(question.alternatives)
    for name, others in stored_aliases(db, words).items():
        alternatives[name] = tuple(dict.fromkeys(alternatives.get(name, ()) + tuple(others)))
    for term, latin in _latin_names(db, question, terms).items():
        alternatives[term] = tuple(dict.fromkeys(alternatives.get(term, ()) + latin))
    alternatives = {t: names for t, names in alternatives.items() if t in terms}
    as_terms = {t: tuple(tuple(morph.index_terms_of(n)) for n in names)
                for t, names in alternatives.items()}
    return replace(question, alternatives=alternatives, alternative_terms=as_terms)


def _latin_names(db: Database, question: Question, terms: list[str]) -> dict[str, tuple[str, ...]]:
    """Latin names the index knows that a Hangul word of the question sounds like, for each
    of that word's terms: the asker wrote as it sounds what articles write in Latin letters
    ('카나나 나노' for Kanana Nano). Only for a word no article writes in Hangul, or for two
    words side by side whose Latin spellings articles write side by side: a word both
    scripts know ('삼성' / Samsung) needs no second spelling, and one would only pull in
    other articles."""
    words = [(w.forms[-1], w.terms) for w in question.spelled
             if w.nouns and w.terms and all(t in terms for t in w.terms)]
    spellings = {w: latin_spellings(w) for w, _ in words}
    known = sentence_counts(db, [s for found in spellings.values() for s in found]
                            + [w for w, _ in words])
    names = [tuple(s for s in spellings[w] if known.get(s)) for w, _ in words]
    kept = [bool(n) and not known.get(w) for n, (w, _) in zip(names, words)]
    for i in range(len(words) - 1):
        pair = [f"{a} {b}" for a in names[i] for b in names[i + 1]]
        if any(phrase_doc_count(db, p) for p in pair[:4]):
            kept[i] = kept[i + 1] = True
    latin: dict[str, tuple[str, ...]] = {}
    for (_, word_terms), found, keep in zip(words, names, kept):
        for t in word_terms if keep else ():
            latin[t] = tuple(dict.fromkeys(latin.get(t, ()) + found))
    return latin


def _parsed_all(stats: _Stats, sentences: list[SentenceHit], question: Question) -> list[_Parsed]:
    parsed = [_parsed(stats, s) for s in sentences]
    if question.wholes or question.alternative_terms:
        parsed = [(w, _with_named(_with_pieces(ws, question.wholes), question), pairs)
                  for w, ws, pairs in parsed]
    return parsed


def _with_named(words: set[str], question: Question) -> set[str]:
    """A sentence naming what a term of the question stands for (국민의힘 for 국힘) holds it."""
    found = [t for t, names in question.alternative_terms.items()
             if t not in words and any(n and set(n) <= words for n in names)]
    return words | set(found) if found else words


def _with_pieces(words: set[str], wholes: dict[str, tuple[str, str]]) -> set[str]:
    """A sentence holding a whole name the question split also holds its pieces."""
    found = [p for whole, pieces in wholes.items() if whole in words for p in pieces]
    return words | set(found) if found else words


def term_weights(
    db: Database, question: Question, params: Params, stats: _Stats | None = None
) -> tuple[dict[str, float], float, dict[str, int]]:
    """IDF weight of each question term, the question's full weight, and the DFs."""
    stats = stats or _stats_for(db)
    _known(stats, db, question.terms)
    _known(stats, db, [m for names in question.alternative_terms.values() for n in names for m in n])
    weights: dict[str, float] = {}
    dfs: dict[str, int] = {}
    for t in question.terms:
        # A term counts as often as the names it stands for are written (국힘 / 국민의힘).
        dfs[t] = max([_doc_count(stats, t)] + [
            min(_doc_count(stats, m) for m in n) for n in question.alternative_terms.get(t, ()) if n])
        w = _idf(stats.total, dfs[t])
        if t in question.names:
            w *= params.name_boost
        weights[t] = w
    return weights, sum(weights.values()) or 1.0, dfs


def within_budget(terms: list[str], dfs: dict[str, int], budget: int) -> list[str]:
    """`terms` while their document frequencies sum to at most `budget`; past it, the
    rarest of them that fit (always the rarest one), in the question's order. In a big
    store a question of several everyday words would otherwise score tens of thousands
    of postings to pick six candidates; the words left out still weigh in the reranking."""
    if sum(dfs[t] for t in terms) <= budget:
        return terms
    kept: set[str] = set()
    spent = 0
    for t in sorted(terms, key=lambda t: (dfs[t], terms.index(t))):
        if kept and spent + dfs[t] > budget:
            break
        kept.add(t)
        spent += dfs[t]
    return [t for t in terms if t in kept]


def retrieve(
    db: Database,
    question: Question,
    prefer: list[int] | None = None,
    params: Params | None = None,
) -> Retrieval:
    """Rank articles and their best sentences for `question`."""
    p = params or PARAMS
    if not question.terms:
        return Retrieval(question, [], False)
    # The store's generation is read once a question (on PostgreSQL it is a query).
    stats = _stats_for(db)
    question = repair_terms(db, question, stats)
    weights, full, dfs = term_weights(db, question, p, stats)
    if question.head in weights and not dfs[question.head] and len(weights) > 1:
        # The noun asked about that no article uses ('출생지는?', '날짜는?') names the
        # answer's kind, not a word the answer is written with.
        weights.pop(question.head)
        full = sum(weights.values()) or 1.0
    related, known_by_kin = _related_weights(db, stats, question, weights, dfs, p)
    weights.update(related)
    question = replace(question, weights=weights)
    present = [t for t in question.terms if dfs[t] > 0]
    if not present:
        return Retrieval(question, [], False)
    # Very common terms make MATCH score most of the index; they still count below.
    ceiling = max(p.common_share * stats.total, p.common_floor)
    rare = within_budget([t for t in present if dfs[t] <= ceiling] or present, dfs,
                         p.postings_budget)
    # Articles that write only the full name (국민의힘) are candidates for a shorthand too.
    rare += [m for t in rare for n in question.alternative_terms.get(t, ()) for m in n]

    doc_hits = search_articles(db, rare, limit=p.doc_candidates,
                               published_by=question.asked_at or None)
    doc_bm25 = {h.article_id: h.score for h in doc_hits}
    top_doc = max(doc_bm25.values(), default=1.0) or 1.0
    sentence_hits = (search_sentences(db, rare, limit=p.sentence_candidates)
                     if p.sentence_candidates else [])
    prefer = [a for a in (prefer or [])]
    pool = list(dict.fromkeys([h.article_id for h in doc_hits]
                              + [s.article_id for s in sentence_hits] + prefer))
    articles, by_article = _articles_with_sentences(db, stats, pool)
    if question.asked_at:  # a follow-up's articles too: none from after the asking time
        for a in [a for a, art in articles.items() if not published_by(art, question.asked_at)]:
            del articles[a], by_article[a]

    bigrams = {(a, b) for a, b in zip(question.sequence, question.sequence[1:])
               if a in weights and b in weights and a != b}
    avg_len = stats.avg_len or 1.0
    question_text = question.text
    asked = squash(question_text)
    ctx = _ScoringContext(question, bigrams, avg_len, p)

    evidence: list[Evidence] = []
    for article_id, sentences in by_article.items():
        article = articles[article_id]
        title_words = set(article.title_morphs.split())
        parsed = _parsed_all(stats, sentences, question)
        if question.wholes or question.alternative_terms:
            title_words = _with_named(_with_pieces(title_words, question.wholes), question)
        doc_words = set(title_words).union(*(ws for _, ws, _ in parsed))
        doc_cover = sum(w for t, w in weights.items() if t in doc_words) / full
        title_cover = sum(w for t, w in weights.items() if t in title_words) / full
        answers = _answers_in(stats, sentences, question, asked) if question.wants else {}
        scores = _sentence_scores(sentences, parsed, weights, full, ctx, answers)
        best_i = max(range(len(scores)), key=scores.__getitem__)
        best_score = scores[best_i]
        best = sentences[best_i]
        words = parsed[best_i][1]
        covered = sum(w for t, w in weights.items() if t in words)
        covered += 0.6 * sum(w for t, w in weights.items() if t not in words and t in title_words)
        total = (
            p.w_doc * doc_bm25.get(article_id, 0.0) / top_doc
            + p.w_sent * best_score
            + p.w_doc_cover * doc_cover
            + p.w_title * title_cover
        )
        if article_id in prefer:
            # The first cited article of the earlier answer counts most.
            total += p.w_prefer / (1 + 0.5 * prefer.index(article_id))
        if article.dup_of is not None:
            total -= 0.2
        ev = Evidence(SentenceHit(best.sentence_id, best.article_id, best.position, best.text,
                                  best.morphs, best_score), article, total, covered / full,
                      best_score, sentences, scores, answers,
                      names=_names_in(stats, sentences))
        evidence.append(ev)

    evidence.sort(key=lambda e: -e.score)
    evidence = _newest_among_ties(evidence)
    for ev in evidence[:LOCAL_RESCORED]:
        _rescore_within(stats, ev, weights, ctx)
    confidence = evidence[0].coverage if evidence else 0.0
    unknown = {t for t in question.terms if t in weights and dfs[t] == 0} - known_by_kin
    excused = _known_whole(db, stats, question, dfs) if unknown else set()
    unknown -= excused
    missing = sum(weights[t] for t in unknown) / full
    if missing < p.max_missing:
        # Pieces of a compound no article holds whole are about something else too
        # ('한국은행' is not in '한국 … 투자은행'); asked only when it could decide.
        rest = {t for c in question.compounds if set(c) <= weights.keys() for t in c} - unknown
        if missing + sum(weights[t] for t in rest) / full >= p.max_missing:
            unknown |= unattested_pieces(db, stats, question.compounds, weights, excused,
                                         evidence[0])
            missing = sum(weights[t] for t in unknown) / full
    confident = confidence >= p.min_confidence and missing < p.max_missing
    return Retrieval(question, evidence, confident, confidence,
                     tuple(t for t in question.terms if t in unknown), missing)


TYPO_MIN = 3  # letters (jamo) a term needs before a slip in it is taken for a typo
TYPO_MAX_EDITS = 1  # per this many letters, rounded down, at least one
TYPO_LETTERS_PER_EDIT = 6


def nearest_known_term(db: Database, term: str) -> str:
    """The one index term within a letter's slip of `term` (Hangul compared letter by
    letter: 렙 and 랩 differ by one vowel), sharing its first syllable; '' when there is
    none or several are as near."""
    letters = jamo_key(term)
    if len(letters) < TYPO_MIN or not term[0].isalnum():
        return ""
    allowed = max(TYPO_MAX_EDITS, len(letters) // TYPO_LETTERS_PER_EDIT)
    best: list[tuple[int, int, str]] = []
    for candidate, count in terms_starting_with(db, term[0]):
        if candidate == term or abs(len(candidate) - len(term)) > 1:
            continue
        edits = Levenshtein.distance(letters, jamo_key(candidate), score_cutoff=allowed)
        if edits <= allowed:
            best.append((edits, -count, candidate))
    best.sort()
    if not best or (len(best) > 1 and best[1][0] == best[0][0]):
        return ""
    return best[0][2]


def _broken_names(db: Database, stats: _Stats, question: Question) -> list[SpelledWord]:
    """Words of the question whose analysis looks broken (a one-syllable piece, or no noun
    at all) while the index knows the word, or the word without its particle, as spelled;
    each with that spelling first."""
    found = []
    for w in question.spelled:
        # A two-syllable word read as two one-syllable nouns (월 간, 신 약) is looked for
        # whole by _known_as_written, with both pieces' weight.
        broken = not w.nouns or (any(len(t) == 1 for t in w.terms) and len(w.forms[-1]) >= 3)
        if not broken or w.forms[0] in w.terms:
            continue
        options = [f for f in w.forms if f not in w.terms and not f.isdigit()]
        _known(stats, db, options)
        known = next((f for f in options if stats.df.get(f)), None)
        if known:
            found.append(SpelledWord((known,), w.terms))
    return found


def _related_weights(db: Database, stats: _Stats, question: Question, weights: dict[str, float],
                     dfs: dict[str, int], p: Params) -> tuple[dict[str, float], set[str]]:
    """Words an article may say the question's predicates with (뽑히다 -> 선정, 사퇴 ->
    사임: analysis.paraphrase), each weighing a share of its predicate so a sentence in
    the question's own words still counts more; and the predicates no article uses that
    are known through such a word."""
    # Kiwi's neighbours (3 ms a word) only for a predicate no article uses; a known one has
    # its sentences already, and the project's table is enough to widen them.
    kin = {t: [k.lower() for k, _ in kin_of(t, tag, neighbours=not dfs[t])]
           for t, tag in question.verbs.items() if t in weights}
    _known(stats, db, [k for ks in kin.values() for k in ks])
    related: dict[str, float] = {}
    known: set[str] = set()
    for t, ks in kin.items():
        for k in ks:
            if k not in weights and _doc_count(stats, k):
                related[k] = max(related.get(k, 0.0), p.related_share * weights[t])
                if not dfs[t]:
                    known.add(t)
    return related, known


def _known_as_written(db: Database, stats: _Stats, question: Question) -> list[WrittenWord]:
    """The question's words that hold a term no article holds, while the index knows the
    word as written: Kiwi reads a word one way in a question and another in an article
    (신 약 / 신약). The question's terms must already be looked up (_known)."""
    words = [w for w in question.written if w.surface.isalnum()
             and any(t in question.terms and not _doc_count(stats, t) for t in w.terms)]
    _known(stats, db, [w.surface.lower() for w in words])
    return [w for w in words if _doc_count(stats, w.surface.lower())]


def _known_whole(db: Database, stats: _Stats, question: Question, dfs: dict[str, int]) -> set[str]:
    """Terms no article holds that are pieces of a word the articles write whole (월 간 /
    월간, 신 약 / 신약): such a word is known."""
    pieces = {p for whole, parts in question.wholes.items() if dfs.get(whole) for p in parts}
    return pieces | {t for w in _known_as_written(db, stats, question) for t in w.terms}


_NOT_A_WORD = re.compile(r"[\W_]+")  # spaces and punctuation: 북·미 회담 is 북미회담


def unattested_pieces(db: Database, stats: _Stats, compounds: tuple[tuple[str, ...], ...],
                      weights: dict[str, float], excused: set[str], top: Evidence) -> set[str]:
    """Pieces of the question's compounds that neither the answering article writes as one
    word nor any article holds side by side (all of a compound one of whose pieces no
    article holds); `excused`: pieces of words the articles hold whole (see _known_whole).

    Both are asked since each misses some: Kiwi may read a rare name in an article apart
    from how the question has it ('제나 기즈' as 저 기즈), and an article may hold a compound
    of the question only in other words ('대북 포용정책', '대북 정책' elsewhere).
    """
    found: set[str] = set()
    text = None
    for whole in compounds:
        # One syllable is often a suffix the articles write apart ('회장직', '체제명').
        pieces = [t for t in whole if len(t) > 1]
        if len(pieces) < 2 or not set(pieces) <= weights.keys() or excused & set(whole):
            continue
        if not all(_doc_count(stats, t) for t in pieces):
            found.update(pieces)
            continue
        if text is None:
            written = [top.article.title] + [s.text for s in top.others]
            text = _NOT_A_WORD.sub("", " ".join(written)).lower()
        if "".join(pieces) in text:
            continue
        # '경제복지여성위원장' of a committee the article calls 경제복지여성위 and whose
        # 위원장 it names apart: a long compound's head may be written on its own.
        if len(pieces) >= 3 and "".join(pieces[:-1]) in text:
            continue
        phrase = " ".join(pieces)
        if phrase not in stats.phrases:
            stats.phrases[phrase] = phrase_doc_count(db, phrase, "articles_fts")
        if not stats.phrases[phrase]:
            found.update(pieces)
    return found


@dataclass(frozen=True, slots=True)
class _ScoringContext:
    question: Question
    bigrams: set[tuple[str, str]]
    avg_len: float
    params: Params
    # Per sentence id: the question-only part of its score (new words, a value of the asked
    # kind, the predicate), the same when an article's sentences are scored again.
    fixed: dict[int, float] = field(default_factory=dict)


def _sentence_scores(
    sentences: list[SentenceHit],
    parsed: list[_Parsed],
    weights: dict[str, float],
    full: float,
    ctx: _ScoringContext,
    answers: dict[int, list[str]],
) -> list[float]:
    """How well each sentence answers: BM25 share of the question's weight, phrases, help
    from its neighbours, new words, a value or named thing of the asked kind."""
    p, question, bigrams = ctx.params, ctx.question, ctx.bigrams
    k1, b = p.k1, p.b
    question_words = set(question.sequence)
    raw: list[float] = []
    phrase: list[float] = []
    for words, word_set, pairs in parsed:
        norm = k1 * (1 - b + b * len(words) / ctx.avg_len)
        score = 0.0
        for t, w in weights.items():
            if t in word_set:
                tf = words.count(t) or 1  # a compound found joined (see _parsed)
                score += w * tf * (k1 + 1) / (tf + norm)
        raw.append(score / ((k1 + 1) * full))
        phrase.append(len(bigrams & pairs) / len(bigrams) if bigrams else 0.0)
    scores = []
    for i, s in enumerate(sentences):
        if raw[i] == 0.0:
            scores.append(0.0)  # shares no term with the question: never the answer
            continue
        neighbour = max(raw[i - 1] if i > 0 else 0.0, raw[i + 1] if i + 1 < len(raw) else 0.0)
        score = raw[i] + p.w_phrase * phrase[i] + p.w_neighbour * neighbour
        fixed = ctx.fixed.get(s.sentence_id)
        if fixed is None:
            novel = len(parsed[i][1] - question_words)
            fixed = p.w_novel * min(novel, 4) / 4
            if kind_values(s.text, question.kind, question.text):
                fixed += p.w_kind
            if question.intent == "why" and gives_reason(s.text):
                fixed += p.w_reason
            if question.intent == "list" and lists_items(s.text):
                fixed += p.w_reason  # '뭐뭐 있어?' is answered by the sentence that lists them
            if s.sentence_id in answers:
                fixed += p.w_answer
            if holds_predicate(question, s.text):
                fixed += p.w_predicate
            ctx.fixed[s.sentence_id] = fixed
        scores.append(score + fixed)
    return scores


LOCAL_RESCORED = 3  # top articles whose sentences are re-scored for choosing the answer


def _rescore_within(
    stats: _Stats, ev: Evidence, weights: dict[str, float], ctx: _ScoringContext
) -> None:
    """Re-score an article's sentences for picking the answer inside it: a term found in
    most of its sentences (the article's subject) says little about which one answers."""
    parsed = _parsed_all(stats, ev.others, ctx.question)
    n = len(parsed) or 1
    local = {t: w * (1 - ctx.params.local_idf * sum(t in ws for _, ws, _ in parsed) / n)
             for t, w in weights.items()}
    full = sum(local.values()) or 1.0
    ev.sentence_scores = _sentence_scores(ev.others, parsed, local, full, ctx, ev.answers)
    if ctx.question.intent == "why":
        # The reason is rarely in the sentence that states the fact: a sentence that gives
        # one, near the best one, is what to show.
        best = max(range(len(ev.sentence_scores)), key=ev.sentence_scores.__getitem__, default=0)
        ev.sentence_scores = [
            s + (ctx.params.w_reason_local / (1 + abs(i - best) / 2)
                 if gives_reason(ev.others[i].text) and s > 0 else 0.0)
            for i, s in enumerate(ev.sentence_scores)]
    ev.weights = local


def published_by(article: Article, moment: str) -> bool:
    """Whether the article was published by `moment` (ISO in KST); undated ones always."""
    return not article.published_at or article.published_at <= moment


def squash(text: str) -> str:
    return "".join(text.split())


NAMED_TYPES = frozenset({"OG", "PS", "PRODUCT", "LC"})


def _names_in(stats: _Stats, sentences: list[SentenceHit]) -> dict[int, tuple[tuple[str, str], ...]]:
    found: dict[int, tuple[tuple[str, str], ...]] = {}
    for s in sentences:
        named = tuple(m for m in stats.mentions.get(s.sentence_id, ()) if m[0] in NAMED_TYPES)
        if named:
            found[s.sentence_id] = named
    return found


def _answers_in(
    stats: _Stats, sentences: list[SentenceHit], question: Question, asked: str
) -> dict[int, list[str]]:
    """Mentions of the asked types that the question does not itself state, by sentence."""
    found: dict[int, list[str]] = {}
    # '김 의원' after a question about 김남국 is that same person, shortened.
    surnames = {f[0] for w in question.spelled for f in w.forms if len(f) == 3 and is_name(f)}
    for s in sentences:
        texts = [text for typ, text in stats.mentions.get(s.sentence_id, ())
                 if typ in question.wants and squash(text) not in asked
                 and not (text[0] in surnames and _SHORT_FORM.fullmatch(text))]
        if texts:
            found[s.sentence_id] = texts
    return found


_SHORT_FORM = re.compile(r"[가-힣](?: [가-힣]{1,6})?")  # a surname, with a title or alone: '김 의원'


def _newest_among_ties(ranked: list[Evidence], margin: float = 0.01) -> list[Evidence]:
    """When the top candidates are about equally good, the newest article answers first."""
    if len(ranked) < 2:
        return ranked
    top = ranked[0].score
    tied = [e for e in ranked if top - e.score <= margin]
    rest = [e for e in ranked if top - e.score > margin]
    tied.sort(key=lambda e: e.article.published_at or "", reverse=True)
    return tied + rest
