"""/quote: the latest things a person (or an organisation's people) said, with sources."""

from __future__ import annotations

from handlers.format import trim
from handlers.reply import Reply, esc, link
from handlers.services import ChatContext, Services
from handlers.who import resolve
from store.facts import QuoteRow, quotes_by_org, quotes_by_person

LIMIT = 5  # quotes per reply: five fit on a phone screen
QUOTE_CHARS = 110


def speaker_of(q: QuoteRow, with_org: bool = True) -> str:
    """How to name the speaker: '정신아 카카오 대표', '카카오 관계자', '카카오'."""
    if q.speaker_kind == "person":
        parts = [q.speaker_name, q.speaker_org if with_org else "", q.speaker_title]
        return " ".join(p for p in parts if p)
    return q.speaker_label or q.speaker_org or "출처 미상"


def _quote_lines(quotes: list[QuoteRow], with_speaker: bool) -> list[str]:
    lines = []
    for i, q in enumerate(quotes, 1):
        a = q.article
        lines.append(f"{i}. “{esc(trim(q.text, QUOTE_CHARS))}”")
        meta = [esc(a.publisher or "출처 미상")]
        if a.date:
            meta.append(a.date)
        meta.append(link(a.url, "원문"))
        source = " · ".join(meta)
        if with_speaker:
            lines.append(f"   — {esc(speaker_of(q))} · {source}")
        else:
            lines.append(f"   📰 {source}")
    return lines


def quote(services: Services, args: str, chat: ChatContext) -> Reply:
    """The newest quotes by a person, or by anyone speaking for an organisation."""
    target = resolve(services, args)
    if target.kind == "none":
        return Reply(f"‘{esc(args)}’의 발언을 기사에서 찾지 못했어요. 이름을 다시 확인해 주세요.")
    if target.kind == "person":
        reply = _person_quotes(services, target.value, target.short)
    else:
        reply = _org_quotes(services, target.value)
    if not target.exact:
        reply.html = f"‘{esc(args)}’ 대신 ‘{esc(target.value)}’의 발언을 찾았어요.\n" + reply.html
    return reply


def _person_quotes(services: Services, name: str, short: tuple[str, ...] = ()) -> Reply:
    quotes = quotes_by_person(services.db, name, limit=LIMIT, also=short)
    if not quotes:
        return Reply(f"‘{esc(name)}’의 발언은 아직 기사에서 찾지 못했어요.")
    orgs = {q.speaker_org for q in quotes if q.speaker_org}
    head = f"💬 <b>{esc(name)}</b>의 최근 발언"
    if len(orgs) == 1:
        known = next(q for q in quotes if q.speaker_org)
        role = " ".join(p for p in (known.speaker_org, known.speaker_title) if p)
        head = f"💬 <b>{esc(name)}</b> {esc(role)}의 최근 발언"
    # 동명이인 (or a new job): then every line names its speaker.
    lines = [head, *_quote_lines(quotes, with_speaker=len(orgs) > 1)]
    return Reply("\n".join(lines), article_ids=_ids(quotes))


def _org_quotes(services: Services, org: str) -> Reply:
    quotes = quotes_by_org(services.db, org, limit=LIMIT)
    if not quotes:
        return Reply(f"‘{esc(org)}’ 쪽 발언은 아직 기사에서 찾지 못했어요.")
    lines = [f"💬 <b>{esc(org)}</b> 쪽의 최근 발언", *_quote_lines(quotes, with_speaker=True)]
    return Reply("\n".join(lines), article_ids=_ids(quotes))


def _ids(quotes: list[QuoteRow]) -> list[int]:
    return list(dict.fromkeys(q.article.article_id for q in quotes))
