"""A Bot API server on 127.0.0.1 that answers the way Telegram does, for end-to-end tests.

It speaks HTTP like api.telegram.org (POST /bot<token>/<method>, form, JSON or multipart
bodies, {"ok": ..., "result" | "error_code", "description", "parameters"} answers),
long-polls getUpdates, checks HTML in messages and captions the way Telegram rejects bad
entities, keeps photos the bot sends, and can be told to fail (429 with retry_after, 403,
400 with migrate_to_chat_id, 5xx, slow answers).

Told to (`enforce_limits`), it enforces Telegram's flood limits on everything that sends:
one message a second per chat, twenty a minute per group, thirty a second overall (callback
and inline answers count only against the last), answering 429 + retry_after past them.

Forum supergroups have topics (`open_topic`, `close_topic`, `delete_topic`): people's
messages in a topic carry its message_thread_id, and a message the bot sends into a closed
or deleted topic is refused as Telegram refuses it ("TOPIC_CLOSED", "message thread not
found").
"""

from __future__ import annotations

import email.parser
import email.policy
import html.parser
import itertools
import json
import math
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

TOKEN = "123456:TEST-token-for-loopback"
BOT_ID = 123456
BOT_USERNAME = "newsmate_test_bot"

# Form fields that are plain strings; every other form field holds a JSON value.
STRING_FIELDS = frozenset(
    {"text", "parse_mode", "caption", "url", "secret_token", "callback_query_id", "photo",
     "inline_query_id", "description", "short_description", "language_code",
     "next_offset", "switch_pm_text", "switch_pm_parameter", "cache_time_str"}
)

ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code",
                "pre", "blockquote", "tg-spoiler", "span", "tg-emoji"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class EntityError(ValueError):
    pass


class _HTMLChecker(html.parser.HTMLParser):
    """Parses Bot API HTML strictly; collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise EntityError(f"Unsupported start tag \"{tag}\"")
        if tag == "a" and not dict(attrs).get("href"):
            raise EntityError("a tag without href")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            raise EntityError(f"Unmatched end tag \"{tag}\"")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(text: str) -> str:
    """The visible text of Bot API HTML, or EntityError like Telegram's 400 answer."""
    # Telegram accepts only these named entities; html.parser would accept any.
    for i, ch in enumerate(text):
        if ch == "&":
            rest = text[i:i + 8]
            if not any(rest.startswith(e) for e in ("&lt;", "&gt;", "&amp;", "&quot;", "&#")):
                raise EntityError(f"Unsupported entity at byte offset {i}")
        if ch == "<" and not (text[i + 1:i + 2].isalpha() or text[i + 1:i + 2] == "/"):
            raise EntityError(f"Unexpected < at offset {i}")
    checker = _HTMLChecker()
    checker.feed(text)
    checker.close()
    if checker.stack:
        raise EntityError(f"Unclosed tag \"{checker.stack[-1]}\"")
    return "".join(checker.text)


@dataclass
class Failure:
    method: str
    code: int
    description: str
    parameters: dict[str, Any] | None = None
    chat_id: int | None = None
    times: int = 1
    delay: float = 0.0  # seconds to wait before answering (a slow or timing-out server)
    deliver: bool = False  # record the message as delivered although an error is answered


@dataclass
class FloodLimits:
    """Telegram's flood limits as the server enforces them (only when asked to)."""

    per_chat_interval: float = 1.0  # one message a second in a chat
    group_max: int = 20  # twenty a minute in a group (negative chat id)
    group_window: float = 60.0
    global_max: int = 30  # thirty a second overall
    global_window: float = 1.0


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float


@dataclass
class BotAPIState:
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)  # messages the bot sent
    failures: list[Failure] = field(default_factory=list)
    admins: dict[int, set[int]] = field(default_factory=dict)  # chat id -> admin user ids
    commands: list[dict[str, Any]] = field(default_factory=list)
    webhook_url: str = ""
    limits: FloodLimits | None = None  # enforce_limits() sets it
    flooded: list[tuple[Any, str]] = field(default_factory=list)  # (chat id, limit) per 429
    accepted: dict[Any, list[float]] = field(default_factory=dict)  # chat id -> send times
    accepted_all: list[float] = field(default_factory=list)
    topics: dict[int, dict[int, str]] = field(default_factory=dict)  # forum -> thread -> state
    handed_out: dict[int, float] = field(default_factory=dict)  # update id -> first getUpdates


class BotAPIServer:
    """Start with `with BotAPIServer() as api:`; `api.base_url` goes to the bot."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.state = BotAPIState()
        self.cond = threading.Condition()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- lifecycle ---------------------------------------------------------------------
    def __enter__(self) -> BotAPIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.cond:
            self.cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # -- what tests do -----------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> int:
        with self.cond:
            update_id = next(self._update_ids)
            self.state.updates.append({"update_id": update_id, **update})
            self.cond.notify_all()
            return update_id

    def open_topic(self, chat_id: int) -> int:
        """A new forum topic in supergroup `chat_id`; returns its message_thread_id (the id of
        the service message that opened it, as in Telegram)."""
        thread_id = next(self._message_ids)
        with self.cond:
            self.state.topics.setdefault(chat_id, {})[thread_id] = "open"
        return thread_id

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        with self.cond:
            self.state.topics[chat_id][thread_id] = "closed"

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        with self.cond:
            self.state.topics[chat_id][thread_id] = "deleted"

    def user_message(
        self,
        text: str,
        chat_id: int = -100123,
        chat_type: str = "supergroup",
        user_id: int = 42,
        reply_to: dict[str, Any] | None = None,
        title: str = "AI 뉴스 방",
        thread_id: int | None = None,
    ) -> int:
        """Queue a text message from a person, with the entities Telegram would attach;
        `thread_id` puts it in that forum topic."""
        message_id = next(self._message_ids)
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = "테스터"
        else:
            chat["title"] = title
        if chat_id in self.state.topics:
            chat["is_forum"] = True
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "테스터"},
            "text": text,
        }
        if thread_id is not None:
            message["message_thread_id"] = thread_id
            message["is_topic_message"] = True
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(text.split()[0])})
        mention = "@" + BOT_USERNAME
        if mention in text:
            entities.append({"type": "mention", "offset": utf16_len(text[: text.index(mention)]),
                             "length": utf16_len(mention)})
        if entities:
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        self.push_update({"message": message})
        return message_id

    def enforce_limits(self, limits: FloodLimits | None = None) -> None:
        """Answer sending requests with 429 + retry_after past Telegram's flood limits."""
        with self.cond:
            self.state.limits = limits or FloodLimits()

    def fail(self, method: str, code: int, description: str, **kwargs: Any) -> None:
        with self.cond:
            self.state.failures.append(Failure(method, code, description, **kwargs))

    def wait_for(self, predicate: Any, timeout: float = 20.0) -> Any:
        """Wait until predicate(state) is truthy and return its value."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                value = predicate(self.state)
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the bot did not do what the test waited for")
                self.cond.wait(min(remaining, 0.2))

    def wait_sent(self, count: int = 1, timeout: float = 20.0) -> list[dict[str, Any]]:
        return self.wait_for(lambda s: s.sent[:] if len(s.sent) >= count else None, timeout)

    # -- the HTTP side -----------------------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body go out in two writes; with Nagle's algorithm the body
            # waits for the client's delayed ACK of the headers (40 ms on Linux loopback),
            # a delay Telegram's servers do not add to every answer.
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                prefix = f"/bot{server.token}/"
                if not self.path.startswith(prefix):
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                method = self.path[len(prefix):].split("?")[0]
                try:
                    params = _parse_params(self.headers.get("Content-Type", ""), body)
                except ValueError as exc:
                    self._send(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
                    return
                status, payload = server._dispatch(method, params)
                self._send(status, payload)

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test): nothing to answer

        return Handler

    def _take_failure(self, method: str, params: dict[str, Any]) -> Failure | None:
        with self.cond:
            for failure in self.state.failures:
                if failure.method == method and (
                    failure.chat_id is None or failure.chat_id == params.get("chat_id")
                ):
                    failure.times -= 1
                    if failure.times <= 0:
                        self.state.failures.remove(failure)
                    return failure
        return None

    def _dispatch(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self.cond:
            self.state.calls.append(Call(method, params, time.monotonic()))
            self.cond.notify_all()
        if is_sending(method) and self.state.limits is not None:
            # Callback and inline answers name no chat: only the global limit counts them.
            flooded = self._flood_check(params.get("chat_id"))
            if flooded is not None:
                return 429, flooded
        failure = self._take_failure(method, params)
        if failure is not None:
            if failure.delay:
                time.sleep(failure.delay)
            if failure.deliver and method == "sendMessage":
                self._send_message(params)
            if failure.code == 200:
                pass  # only a delay was asked for
            else:
                answer: dict[str, Any] = {"ok": False, "error_code": failure.code,
                                          "description": failure.description}
                if failure.parameters:
                    answer["parameters"] = failure.parameters
                return failure.code, answer
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
        try:
            return 200, {"ok": True, "result": handler(params)}
        except EntityError as exc:
            return 400, {"ok": False, "error_code": 400,
                         "description": f"Bad Request: can't parse entities: {exc}"}
        except ValueError as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}

    def _flood_check(self, chat_id: Any) -> dict[str, Any] | None:
        """None when a message to `chat_id` is within the limits now (and count it), else
        the 429 answer Telegram would give."""
        lim = self.state.limits
        assert lim is not None
        now = time.monotonic()
        with self.cond:
            mine = self.state.accepted.setdefault(chat_id, []) if chat_id is not None else []
            waits: list[tuple[float, str]] = []
            if mine and now - mine[-1] < lim.per_chat_interval:
                waits.append((mine[-1] + lim.per_chat_interval - now, "chat"))
            if isinstance(chat_id, int) and chat_id < 0:
                recent = [t for t in mine if now - t < lim.group_window]
                if len(recent) >= lim.group_max:
                    waits.append((recent[-lim.group_max] + lim.group_window - now, "group"))
            recent_all = [t for t in self.state.accepted_all[-lim.global_max:]
                          if now - t < lim.global_window]
            if len(recent_all) >= lim.global_max:
                waits.append((recent_all[0] + lim.global_window - now, "global"))
            if waits:
                wait, which = max(waits)
                self.state.flooded.append((chat_id, which))
                retry_after = max(1, math.ceil(wait))
                return {"ok": False, "error_code": 429,
                        "description": f"Too Many Requests: retry after {retry_after}",
                        "parameters": {"retry_after": retry_after}}
            mine.append(now)
            self.state.accepted_all.append(now)
        return None

    # -- Bot API methods ---------------------------------------------------------------
    def _bot_user(self) -> dict[str, Any]:
        return {"id": BOT_ID, "is_bot": True, "first_name": "뉴스메이트",
                "username": BOT_USERNAME, "can_join_groups": True,
                "can_read_all_group_messages": False, "supports_inline_queries": True}

    def _api_getMe(self, params: dict[str, Any]) -> Any:
        return self._bot_user()

    def _api_getUpdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), 2.0)  # short polls keep tests snappy
        deadline = time.monotonic() + timeout
        with self.cond:
            self.state.updates = [u for u in self.state.updates if u["update_id"] >= offset]
            while not self.state.updates and time.monotonic() < deadline:
                self.cond.wait(deadline - time.monotonic())
            given = list(self.state.updates[: int(params.get("limit") or 100)])
            now = time.monotonic()
            for update in given:  # when the bot first had it, for latency benchmarks
                self.state.handed_out.setdefault(update["update_id"], now)
            return given

    def _check_topic(self, chat_id: int, params: dict[str, Any]) -> int | None:
        """The forum topic a message goes to (None: General), refused as Telegram does."""
        thread_id = params.get("message_thread_id")
        if thread_id is None:
            return None
        state = self.state.topics.get(int(chat_id), {}).get(int(thread_id))
        if state is None or state == "deleted":
            raise ValueError("message thread not found")
        if state == "closed":
            raise ValueError("TOPIC_CLOSED")
        return int(thread_id)

    def _send_message(self, params: dict[str, Any], photo: bytes | None = None) -> dict[str, Any]:
        field_name, limit = ("caption", 1024) if photo is not None else ("text", 4096)
        text = str(params.get(field_name, ""))
        visible = check_html(text) if params.get("parse_mode") == "HTML" else text
        if photo is None and not visible.strip():
            raise ValueError("message text is empty")
        if utf16_len(visible) > limit:
            raise ValueError("message caption is too long" if photo is not None
                             else "message is too long")
        chat_id = params["chat_id"]
        thread_id = self._check_topic(chat_id, params)
        chat = {"id": chat_id, "type": "private" if int(chat_id) > 0 else "supergroup"}
        if int(chat_id) in self.state.topics:
            chat["is_forum"] = True
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._bot_user(),
            "text": visible,
            "_params": params,  # what the bot sent, for assertions
            "_at": time.monotonic(),  # when it arrived, for flood-limit assertions
        }
        if thread_id is not None:
            message.update(message_thread_id=thread_id, is_topic_message=True)
        if photo is not None:
            del message["text"]
            message["caption"] = visible
            message["photo"] = [{"file_id": f"photo-{message['message_id']}",
                                 "file_unique_id": f"u{message['message_id']}",
                                 "width": 1, "height": 1, "file_size": len(photo)}]
            message["_photo"] = photo
        with self.cond:
            self.state.sent.append(message)
            self.cond.notify_all()
        return {k: v for k, v in message.items() if not k.startswith("_")}

    def _api_sendMessage(self, params: dict[str, Any]) -> Any:
        return self._send_message(params)

    def _api_sendPhoto(self, params: dict[str, Any]) -> Any:
        photo = params.get("photo")
        if not isinstance(photo, bytes) or not photo:
            raise ValueError("there is no photo in the request")
        return self._send_message(params, photo=photo)

    def _api_editMessageText(self, params: dict[str, Any]) -> Any:
        return self._send_message(params)

    def _api_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        return True

    def _api_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        return True

    def _api_setMyCommands(self, params: dict[str, Any]) -> Any:
        self.state.commands = params.get("commands") or []
        return True

    def _api_getMyCommands(self, params: dict[str, Any]) -> Any:
        return self.state.commands

    def _api_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.state.webhook_url = ""
        return True

    def _api_setWebhook(self, params: dict[str, Any]) -> Any:
        self.state.webhook_url = str(params.get("url", ""))
        return True

    def _api_getChatMember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
        status = "administrator" if user_id in self.state.admins.get(chat_id, set()) else "member"
        user = {"id": user_id, "is_bot": False, "first_name": "테스터"}
        if status == "administrator":
            return {"status": status, "user": user, "can_be_edited": False,
                    "is_anonymous": False, "can_manage_chat": True, "can_delete_messages": True,
                    "can_manage_video_chats": True, "can_restrict_members": True,
                    "can_promote_members": False, "can_change_info": True,
                    "can_invite_users": True, "can_post_stories": False,
                    "can_edit_stories": False, "can_delete_stories": False}
        return {"status": status, "user": user}


def is_sending(method: str) -> bool:
    """Whether a method puts something in front of people (and so counts against limits)."""
    return method.startswith(("send", "edit", "copy", "forward")) or method in (
        "answerCallbackQuery", "answerInlineQuery")


def _field(key: str, value: str) -> Any:
    if key in STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except json.JSONDecodeError:
        return value


def _parse_multipart(content_type: str, body: bytes) -> dict[str, Any]:
    """multipart/form-data as PTB sends files: fields as form values, files as bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise ValueError("multipart body expected")
    params: dict[str, Any] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        payload = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            params[name] = payload  # a file: the bytes themselves
        else:
            params[name] = _field(name, payload.decode("utf-8"))
    # A file sent as attach://name is referred to by the field that names it.
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.get(value[len("attach://"):], value)
    return params


def _parse_params(content_type: str, body: bytes) -> dict[str, Any]:
    if not body:
        return {}
    if content_type.startswith("application/json"):
        return json.loads(body)
    if content_type.startswith("multipart/form-data"):
        return _parse_multipart(content_type, body)
    return {key: _field(key, value)
            for key, value in parse_qsl(body.decode(), keep_blank_values=True)}
