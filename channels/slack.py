"""Rasa's own Slack channel with the few things a real workspace app needs on top.

Everything that matters stays Rasa's (`rasa.core.channels.slack.SlackInput`): signature checking,
retry headers, message and button formatting. This subclass adds only:

- `slack_api_url`: the Slack Web API base URL (default Slack's own). GovSlack's API lives at a
  different address, and the offline tests point it at a fake Slack API on loopback.
- Requests that fail Rasa's own signature/timestamp check are refused with 401 before anything is
  parsed (Rasa answers 400), so forged and replayed requests are processed not at all.
- Slack retries an event it thinks was not delivered; Rasa only ignores retries whose reason is in
  `errors_ignore_retry`. Events are also deduplicated by their `event_id`, so a retry never
  produces a second reply. With several replicas the ids are shared through the Redis of the lock
  store (a retry may reach another replica); without Redis they are kept in process memory.
- A turn that cannot be handled (tracker or lock store down) is answered as on the REST and widget
  channels: crisis contacts first when the message needs them, then the "temporarily unavailable"
  line; only the error type is logged, and the event id is forgotten so Slack's retry is handled.
- Direct messages stay one flat conversation per user: replies are threaded only in channels.
- Slack user and channel ids in Rasa's Slack log lines are replaced by a short hash.
"""
import collections
import hashlib
import json
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint, response
from sanic.exceptions import InvalidUsage
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from channels.limits import refuse_too_long
from channels.rest import unavailable_reply

logger = logging.getLogger(__name__)

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# "_" separates too: Rasa's Slack conversation ids are "<user>_<channel>" ("U012AB3CD_D0123ABCD")
SLACK_ID = re.compile(r"(?<![A-Za-z0-9])[UWCDG][A-Z0-9]{7,}(?![A-Za-z0-9])")


def pseudonym(identifier: str) -> str:
    """A stable short hash: log lines about one user can be correlated without naming them."""
    return "id-" + hashlib.sha256(identifier.encode()).hexdigest()[:10]


class HashSlackIds(logging.Filter):
    """Rewrites Slack user/channel ids in log records (Rasa's Slack channel logs them in clear)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if SLACK_ID.search(message):
            record.msg, record.args = SLACK_ID.sub(lambda m: pseudonym(m.group(0)), message), None
        return True


def install_id_hashing() -> None:
    """On the loggers that name Slack ids, and on every handler of the root logger, so records from any
    logger (Rasa's processor and tracker store warnings name the conversation id) are rewritten too:
    a logger's filter sees only records logged on that very logger."""
    for name in ("rasa.core.channels.slack", __name__):
        if not any(isinstance(f, HashSlackIds) for f in logging.getLogger(name).filters):
            logging.getLogger(name).addFilter(HashSlackIds())
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, HashSlackIds) for f in handler.filters):
            handler.addFilter(HashSlackIds())


install_id_hashing()  # at import: Rasa has configured its logging before it loads the channels
SEEN_EVENTS_TTL_SECONDS = 60 * 60  # Slack stops retrying well within an hour
SEEN_EVENTS_MAX = 10_000
SEEN_KEY = "tearsguide:slack-event:{}"


class RecentEvents:
    """Event ids seen recently (bounded, expiring): enough to drop Slack's retries in one process."""

    def __init__(self, ttl: float = SEEN_EVENTS_TTL_SECONDS, max_size: int = SEEN_EVENTS_MAX):
        self.ttl, self.max_size = ttl, max_size
        self._seen: "collections.OrderedDict[str, float]" = collections.OrderedDict()

    def check_and_add(self, event_id: str) -> bool:
        """True if `event_id` was already seen; otherwise remembers it and returns False."""
        now = time.monotonic()
        while self._seen and (len(self._seen) > self.max_size or next(iter(self._seen.values())) < now - self.ttl):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return True
        self._seen[event_id] = now
        return False

    def forget(self, event_id: str) -> None:
        self._seen.pop(event_id, None)


def malformed(request: Request) -> Optional[str]:
    """What is wrong with a correctly signed request that Rasa's SlackInput would fail on (with a
    500), or None. Slack never sends these; a broken proxy or a hand-made request might."""
    if request.headers.get("content-type") == "application/json":
        if not request.body:
            return "body is not valid JSON"
        try:
            body = request.json  # parsed once: the event-id check and Rasa's SlackInput read it from here
        except InvalidUsage:  # Sanic's parser (the one Rasa's SlackInput uses) refused the body
            return "body is not valid JSON"
        if not isinstance(body, dict):
            return "body must be a JSON object"
        event = body.get("event")
        if body.get("type") == "event_callback" and not isinstance(event, dict):
            return "'event' must be an object"
        if isinstance(event, dict) and not isinstance(event.get("text", ""), str):
            return "'event.text' must be a string"
        if isinstance(event, dict) and event.get("type") in ("message", "app_mention") and event.get("text") \
                and not event.get("bot_id") and not (_an_id(event.get("user")) and _an_id(event.get("channel"))):
            return "a message event needs a 'user' and a 'channel'"  # else it would become a conversation of "None"
        return None
    payload = request.form.get("payload") if request.form else None
    if payload is not None:
        try:
            payload = json.loads(payload)
        except ValueError:
            return "'payload' is not valid JSON"
        if not isinstance(payload, dict):
            return "'payload' must be a JSON object"
        user, actions = payload.get("user"), payload.get("actions")
        if not (isinstance(user, dict) and _an_id(user.get("id"))):
            return "'payload.user' must be an object with an 'id'"
        if not (isinstance(actions, list) and actions and all(isinstance(a, dict) and isinstance(a.get("type"), str)
                                                               for a in actions)):
            return "'payload.actions' must be a list of actions"
    return None


def _an_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


class SlackInputWithApiUrl(SlackInput):
    """SlackInput plus an API base URL setting, 401 for forged requests, and event-id deduplication."""

    @classmethod
    def name(cls) -> Text:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.slack_api_url = (credentials or {}).get("slack_api_url") or DEFAULT_SLACK_API_URL
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.slack_api_url = DEFAULT_SLACK_API_URL
        self.recent_events = RecentEvents()

    def get_output_channel(
        self, channel: Optional[Text] = None, thread_id: Optional[Text] = None
    ) -> OutputChannel:
        bot = super().get_output_channel(channel, thread_id)
        if isinstance(bot, SlackBot):
            bot.client = AsyncWebClient(self.slack_token, base_url=self.slack_api_url, proxy=self.proxy)
        return bot

    def get_metadata(self, request: Request) -> Dict[Text, Any]:
        metadata = super().get_metadata(request)
        if metadata.get("out_channel", "") and str(metadata["out_channel"]).startswith("D"):
            metadata["thread_id"] = None  # a DM is one conversation, not a thread per message
        return metadata

    def already_seen(self, request: Request, event_id: str) -> bool:
        """True if this event id was seen before, by any replica sharing the lock store's Redis."""
        redis_client = shared_redis(request)
        if redis_client is not None:
            try:
                first = redis_client.set(SEEN_KEY.format(event_id), 1, nx=True, ex=SEEN_EVENTS_TTL_SECONDS)
                return not first
            except Exception as error:  # Redis down: this replica's memory still stops most retries
                logger.warning("Slack event ids not shared through Redis (%s); checked on this replica only.",
                               type(error).__name__)
        return self.recent_events.check_and_add(event_id)

    def forget_event(self, request: Request, event_id: str) -> None:
        """The turn of this event was not stored: a retry of it must be handled, not dropped."""
        self.recent_events.forget(event_id)
        redis_client = shared_redis(request)
        if redis_client is not None:
            try:
                redis_client.delete(SEEN_KEY.format(event_id))
            except Exception as error:
                logger.warning("Could not forget a Slack event id in Redis (%s).", type(error).__name__)

    async def process_message(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]],
                              text: Text, sender_id: Optional[Text], metadata: Optional[Dict]) -> Any:
        """Rasa's own, with the turn handled by `answer_or_say_unavailable` (Rasa runs it as a background
        task after answering Slack, so a failure would otherwise reach nobody)."""
        event_id = event_id_of(request)

        async def answer_or_say_unavailable(message: UserMessage) -> None:
            try:
                await on_new_message(message)
            except Exception as error:  # the turn was not kept: say so, never stay silent
                logger.error("A Slack message could not be handled (%s); the person was told.", type(error).__name__)
                if event_id:
                    self.forget_event(request, event_id)
                await say_unavailable(message, text, metadata)

        return await super().process_message(request, answer_or_say_unavailable, text, sender_id, metadata)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        slack_webhook = super().blueprint(refuse_too_long(on_new_message))

        @slack_webhook.on_request
        async def refuse_forged_and_repeated(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST" or not request.path.endswith("/webhook"):
                return None
            if not self.is_request_from_slack_authentic(request):
                logger.warning("Refused a Slack request with a missing, invalid or expired signature.")
                return response.json({"error": "invalid or expired Slack signature"}, status=401)
            problem = malformed(request)
            if problem:
                logger.warning("Refused a signed but malformed Slack request: %s.", problem)
                return response.json({"error": problem}, status=400)
            event_id = event_id_of(request)
            if event_id and self.already_seen(request, event_id):
                logger.info("Ignored a repeated Slack event (retry #%s).", request.headers.get(self.retry_num_header))
                return response.text("", headers={"X-Slack-No-Retry": "1"})
            return None

        return slack_webhook


def shared_redis(request: Request) -> Any:
    """The Redis client of the lock store the replicas share, or None (in-memory lock store)."""
    agent = getattr(request.app.ctx, "agent", None)
    return getattr(getattr(agent, "lock_store", None), "red", None)


def event_id_of(request: Request) -> Optional[str]:
    """The Events API `event_id` of a JSON request (button clicks, form posts, have none)."""
    if request.headers.get("content-type") != "application/json":
        return None
    event_id = (request.json or {}).get("event_id")
    return str(event_id) if event_id else None


async def say_unavailable(message: UserMessage, text: str, metadata: Optional[Dict]) -> None:
    """The REST and widget channels' answer to a failed turn: crisis contacts first when the message
    needs them, then the "temporarily unavailable" line."""
    for reply in unavailable_reply(message.sender_id, text, metadata):
        try:
            await message.output_channel.send_text_message(message.sender_id, reply["text"])
        except Exception as error:  # Slack itself unreachable: nothing more this replica can do
            logger.error("Could not tell a Slack user that their turn failed (%s).", type(error).__name__)
            return
