"""/who: a person's role and organisation, how many articles name them, the latest ones."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis import morph
from handlers.format import trim
from handlers.reply import Reply, esc, link
from handlers.services import ChatContext, Services
from store.facts import (
    PersonProfile,
    best_match,
    known_names,
    known_orgs,
    people_of_org,
    person_profiles,
)

# Honorifics and words people type around a name: '정신아 씨', '정신아 대표님'.
_AROUND = re.compile(r"(씨|님|대표님|에 대해|에 대해서|누구(야|예요|인가요|지)?|\?)$")
_FUNCTION_TAGS = ("J", "E", "VCP", "XS")


def name_candidates(text: str) -> list[str]:
    """What the user may mean by `text`: as typed, without particles, each word alone.

    '/who 정신아는' -> ['정신아는', '정신아']; '/who 카카오 정신아' -> [..., '카카오', '정신아'].
    """
    text = _AROUND.sub("", text.strip()).strip()
    out: list[str] = []
    for part in [text, *text.split()] if " " in text else [text]:
        part = part.strip(" \"'“”‘’?!.,")
        if not part:
            continue
        out.append(part)
        toks = morph.tokens(part)
        # Drop trailing particles and endings (정신아는, 카카오의, 정신아요).
        cut = len(part)
        for t in reversed(toks):
            if t.tag.startswith(_FUNCTION_TAGS):
                cut = t.start
            else:
                break
        if 0 < cut < len(part):
            out.append(part[:cut].strip())
    return list(dict.fromkeys(c for c in out if c))


@dataclass(frozen=True, slots=True)
class Target:
    """What a /who or /quote argument names: a stored person's name or an organisation."""

    kind: str  # 'person', 'org' or 'none'
    value: str
    exact: bool  # False when found by tolerating a typo
    short: tuple[str, ...] = ()  # the short form it was typed as, also stored ('비건')


def resolve(services: Services, text: str) -> Target:
    """Exact person, exact organisation, then a person or organisation despite a typo."""
    candidates = name_candidates(text)
    names = known_names(services.db)
    orgs = known_orgs(services.db)
    name_set, org_set = set(names), set(orgs)
    for c in candidates:
        if c in name_set:
            # '비건' stored from an article that wrote only '비건 대표', and '스티븐 비건' from
            # those that wrote the full name: the one full name it ends is who is meant.
            full = {n for n in names if n.endswith(" " + c)}
            if len(full) == 1:
                return Target("person", full.pop(), True, (c,))
            return Target("person", c, True)
    for c in candidates:
        if c in org_set:
            return Target("org", c, True)
    name = best_match(candidates, names)
    if name:
        return Target("person", name, False)
    org = best_match(candidates, orgs, cutoff=90)
    if org:
        return Target("org", org, False)
    return Target("none", "", False)


def _ro(word: str) -> str:
    """The particle 으로/로 after `word`: 로 after a vowel or ㄹ, (으)로 when it is not Hangul."""
    last = word[-1:]
    if not "가" <= last <= "힣":
        return "(으)로"
    final = (ord(last) - 0xAC00) % 28
    return "로" if final in (0, 8) else "으로"  # 8 is ㄹ


def role_of(profile: PersonProfile) -> str:
    """'카카오 대표', '최고AI책임자', or '' when the articles give no role."""
    return " ".join(p for p in (profile.org, profile.title) if p)


def _mention_lines(profile: PersonProfile) -> list[str]:
    return [
        f"  · {m.date or '날짜 미상'} {link(m.url, trim(m.title, 42))}" for m in profile.latest
    ]


def who(services: Services, args: str, chat: ChatContext) -> Reply:
    """Who a person is, as the stored articles describe them; 동명이인 are shown apart."""
    target = resolve(services, args)
    if target.kind == "org":
        return _org_people(services, target.value)
    if target.kind == "none":
        return Reply(
            f"‘{esc(args)}’에 대한 인물 정보가 기사에 없어요. 이름을 다시 확인해 주세요."
        )
    name = target.value
    profiles = person_profiles(services.db, name, also=target.short)
    if not profiles:
        return Reply(f"‘{esc(name)}’에 대한 인물 정보가 기사에 없어요.")
    lines: list[str] = []
    if not target.exact:
        lines.append(f"‘{esc(args)}’ 대신 ‘{esc(name)}’{_ro(name)} 찾았어요.")
    if len(profiles) > 1:
        lines.append(
            f"‘{esc(name)}’ 이름이 소속이 다른 {len(profiles)}명으로 나와요."
            " 동명이인이거나 소속이 바뀐 것일 수 있어요."
        )
    for profile in profiles[:3]:
        role = role_of(profile)
        head = f"👤 <b>{esc(name)}</b>"
        if role:
            head += f" · {esc(role)}"
        lines.append(head)
        lines.append(f"기사 {profile.article_count}건에 나와요. 최근 언급:")
        lines += _mention_lines(profile)
    ids = [m.article_id for p in profiles for m in p.latest]
    return Reply("\n".join(lines), article_ids=ids)


def _org_people(services: Services, org: str) -> Reply:
    """'/who 카카오': the people the articles name at an organisation."""
    people = people_of_org(services.db, org, limit=6)
    if not people:
        return Reply(f"‘{esc(org)}’ 소속 인물 정보는 아직 기사에 없어요.")
    lines = [f"🏢 <b>{esc(org)}</b> 인물"]
    for p in people:
        role = f" {esc(p.title)}" if p.title else ""
        lines.append(f"  · {esc(p.name)}{role} — 기사 {p.article_count}건")
    lines.append("한 사람을 더 알아보려면 <code>/who 이름</code>을 보내 주세요.")
    return Reply("\n".join(lines))
