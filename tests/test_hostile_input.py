"""Whatever people type, every command answers with valid Bot API HTML of 1..4096 characters."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.commands import COMMANDS, parse_command, run_command
from handlers.reply import visible_length
from handlers.services import ChatContext, Services
from tests.botapi import check_html

NASTY = [
    "<b>", "</a>", "<a href='x'>", "&", "&amp;", "&#0;", '"', "'", "*", "^", ":", "(", ")", "NEAR",
    "AND", "OR", "NOT", "\u200b", "\u200d", "\ufeff", "\u202e", "\x00", "\x1b[31m", "🇰🇷", "👩‍💻",
    "카카오가", "2100억원", "코GPT", "𝕏", "ｆｕｌｌ", "ᄒᆞᆫ글", "\n", "\t", "@newsmate_test_bot",
    "/ask", "\\", "%", "--", "; DROP TABLE articles;",
]

texts = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=12
).map("".join)
command_texts = st.tuples(
    st.sampled_from([c.name for c in COMMANDS] + ["nosuch"]),
    st.sampled_from(["", "@newsmate_test_bot", "@other_bot"]),
    st.sampled_from([" ", "\n", "  "]),
    st.one_of(texts, texts.map(lambda t: t * 60)),  # some longer than the 500-character cap
).map(lambda parts: f"/{parts[0]}{parts[1]}{parts[2]}{parts[3]}")


def test_ten_thousand_command_texts(demo_services: Services) -> None:
    chat = ChatContext(chat_id=-100, user_id=1, chat_type="supergroup")
    seen = {"count": 0}

    @settings(max_examples=10_000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(command_texts)
    def check(text: str) -> None:
        seen["count"] += 1
        parsed = parse_command(text, "newsmate_test_bot")
        if parsed is None:
            return  # addressed to another bot: the bot stays silent, nothing to check
        reply = run_command(demo_services, parsed[0], parsed[1], chat)
        visible = check_html(reply.html)  # raises like Telegram's 400 on bad HTML
        assert 1 <= visible_length(reply.html) <= 4096
        assert visible.strip()
        for row in reply.buttons:
            for button in row:
                assert button.callback is None or len(button.callback.encode()) <= 64

    check()
    assert seen["count"] >= 10_000
