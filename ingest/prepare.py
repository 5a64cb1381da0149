"""Turn an ArticleInput into a PreparedArticle: normalise, split, analyse."""

from __future__ import annotations

import hashlib
import logging
import re

from analysis import morph
from analysis.dates import to_kst_iso
from analysis.facts import extract_facts
from analysis.stories import story_profile
from ingest.article_input import ArticleInput
from ingest.urls import canonical_url
from store.articles import PreparedArticle, SentenceRow

log = logging.getLogger(__name__)

# Analysis per article is bounded, so one enormous entry cannot take minutes and gigabytes:
# the first MAX_ANALYSED_CHARS characters (a long news article has under 10,000) in at most
# MAX_ANALYSED_SENTENCES sentences are analysed and indexed; the whole body is stored.
MAX_ANALYSED_CHARS = 30_000
MAX_ANALYSED_SENTENCES = 600
MAX_TITLE_CHARS = 300  # a headline is under 100; a feed's 'title' can be anything

_CONTROL = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def clean_inline(text: str) -> str:
    """One line of text: NFC, no control or zero-width characters, single spaces."""
    return _SPACES.sub(" ", _CONTROL.sub("", morph.nfc(text).replace("\n", " "))).strip()


def paragraphs_of(body: str) -> list[str]:
    """Non-empty lines of a body; news bodies put one paragraph on a line."""
    lines = (clean_inline(line) for line in morph.nfc(body).replace("\r", "\n").split("\n"))
    return [line for line in lines if line]


def analysed_part(paragraphs: list[str], max_chars: int = MAX_ANALYSED_CHARS) -> list[str]:
    """The leading paragraphs that fit in `max_chars`, the last one cut at a space (or
    anywhere, for one without spaces) so that no paragraph handed to Kiwi is enormous."""
    kept: list[str] = []
    left = max_chars
    for paragraph in paragraphs:
        if len(paragraph) <= left:
            kept.append(paragraph)
            left -= len(paragraph)
            continue
        cut = paragraph[:left]
        space = cut.rfind(" ")
        cut = cut[:space] if space > left // 2 else cut
        if cut.strip():
            kept.append(cut.strip())
        break
    return kept


def analyse(
    paragraphs: list[str], tokens_out: list[list[morph.Token]] | None = None,
    max_sentences: int = MAX_ANALYSED_SENTENCES,
) -> list[SentenceRow]:
    """Sentences of the paragraphs with their content morphemes, analysed once.

    When `tokens_out` is given, each sentence's Kiwi tokens are appended to it with offsets
    into the sentence text, for the fact extractors (so nothing is analysed twice).
    """
    rows: list[SentenceRow] = []
    for p_index, paragraph in enumerate(paragraphs):
        for text, toks in morph.sentences(paragraph):
            if len(rows) >= max_sentences:
                return rows
            rows.append(SentenceRow(len(rows), p_index, text, " ".join(morph.index_terms(toks, text))))
            if tokens_out is not None:
                tokens_out.append(toks)
    return rows


# Where the first sentence of a body ends: a period after a Korean ending or a closing
# quote, before a space; a title made from it is cut at a word within TITLE_LIMIT.
_FIRST_SENTENCE_END = re.compile(r"(?<=[다요음함임됨\"'”’])[.!?](?=\s|$)")
TITLE_LIMIT = 60


def title_of(item: ArticleInput, paragraphs: list[str]) -> str:
    """The item's title, or for an item that has none (some outlets' feeds and exports) its
    first sentence, cut at a word boundary: an article is never refused for lacking one."""
    title = clean_inline(item.title)[:MAX_TITLE_CHARS]
    if title or not paragraphs:
        return title
    first = paragraphs[0]
    end = _FIRST_SENTENCE_END.search(first)
    sentence = first[:end.end()] if end else first
    if len(sentence) <= TITLE_LIMIT:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_LIMIT)
    return sentence[:cut if cut > TITLE_LIMIT // 2 else TITLE_LIMIT].rstrip(",， ") + "…"


def content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n{body}".encode()).hexdigest()


def identity(item: ArticleInput) -> tuple[str, str]:
    """(article key, content hash) of an item, cheaply: enough to tell that it is stored as is."""
    paragraphs = paragraphs_of(item.body)
    return _key(item), content_hash(title_of(item, paragraphs), "\n\n".join(paragraphs))


def _key(item: ArticleInput) -> str:
    return f"id:{item.source_id}" if item.source_id else f"url:{canonical_url(item.url.strip())}"


def prepare(item: ArticleInput) -> PreparedArticle:
    """Normalise one article and derive its sentences, index terms, facts and story profile."""
    paragraphs = paragraphs_of(item.body)
    title = title_of(item, paragraphs)
    body = "\n\n".join(paragraphs)
    url = item.url.strip()
    canonical = canonical_url(url)
    key = _key(item)
    published_at = to_kst_iso(item.published_at)
    tokens: list[list[morph.Token]] = []
    analysed = analysed_part(paragraphs)
    sentences = analyse(analysed, tokens)
    if sum(map(len, analysed)) < sum(map(len, paragraphs)) or (
        len(sentences) == MAX_ANALYSED_SENTENCES
    ):
        log.info(
            "%s: analysed the first %d of %d characters (%d sentences); the rest is stored"
            " but not analysed", item.origin or url, sum(len(s.text) for s in sentences),
            len(body), len(sentences),
        )
    texts = [s.text for s in sentences]
    facts = extract_facts(texts, [s.paragraph for s in sentences], published_at, tokens)
    title_tokens = morph.tokens(title)
    publisher = clean_inline(item.publisher)
    story = story_profile(title, title_tokens, texts, tokens, facts, publisher)
    return PreparedArticle(
        article_key=key,
        source_id=item.source_id,
        url=url,
        canonical_url=canonical,
        title=title,
        publisher=publisher,
        published_at=published_at,
        body=body,
        content_hash=content_hash(title, body),
        title_morphs=" ".join(morph.index_terms(title_tokens, title)),
        sentences=sentences,
        facts=facts,
        story=story,
        summary_only=item.summary_only,
    )
