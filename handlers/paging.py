"""이전/다음 buttons for long lists: the list is remembered, the buttons carry a short key."""

from __future__ import annotations

from handlers.reply import Button, Reply
from store.chats import save_pager

PREFIX = "pg"  # callback data: 'pg:<pager id>:<page>', well under Telegram's 64 bytes


def with_pager(
    reply: Reply, services_db, chat_id: int, command: str, args: str, page: int, pages: int,
    pager_id: int | None = None,
) -> Reply:
    """`reply` with 이전/다음 buttons when the list has more than one page."""
    if pages <= 1:
        return reply
    if pager_id is None:
        pager_id = save_pager(services_db, chat_id, command, args)
    row: list[Button] = []
    if page > 0:
        row.append(Button("◀ 이전", callback=f"{PREFIX}:{pager_id}:{page - 1}"))
    row.append(Button(f"{page + 1}/{pages}", callback=f"{PREFIX}:{pager_id}:{page}"))
    if page < pages - 1:
        row.append(Button("다음 ▶", callback=f"{PREFIX}:{pager_id}:{page + 1}"))
    reply.buttons = [*reply.buttons, row]
    return reply


def parse_callback(data: str) -> tuple[int, int] | None:
    """(pager id, page) from callback data, or None when it is not ours or malformed."""
    parts = data.split(":")
    if len(parts) != 3 or parts[0] != PREFIX or not (parts[1].isdigit() and parts[2].isdigit()):
        return None
    return int(parts[1]), int(parts[2])
