"""One message length limit for every channel (REST, Slack, the website widget).

A chat message longer than MAX_MESSAGE_CHARS is not taken into the conversation: the person gets a
calm answer asking for the most important part, and nothing of the refused text is stored (the
agent never sees it). The whole text is still screened first, so a message about danger gets the
crisis contacts whatever its length (the screen is linear: safety/crisis.py). Each channel wraps the
`on_new_message` callback Rasa gives its blueprint with `refuse_too_long`, so the answer goes out
through that channel's own output (the REST response, a Slack post, a socket.io event). Transport
limits sit in front of this: the REST body and the socket.io buffer take at most MAX_BODY_BYTES.
"""
import logging
from typing import Any, Awaitable, Callable, Dict, Optional

from rasa.core.channels.channel import UserMessage

from safety.messages import messages
from safety.reply import contacts_if_needed

logger = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 10_000  # about 1,700 words: far more than anyone types into a chat
MAX_BODY_BYTES = 200_000  # REST body and socket.io packet: a message at the limit, in any script, fits
TOO_LONG_TEXT = " ".join(messages()["message_too_long"]["text"].split())


def too_long_replies(text: str, metadata: Optional[Dict[str, Any]]) -> list:
    """The answer to a message over the limit: crisis contacts first when it needs them."""
    return contacts_if_needed(text, metadata) + [TOO_LONG_TEXT.format(limit=f"{MAX_MESSAGE_CHARS:,}")]


def refuse_too_long(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """`on_new_message`, answering a message over the limit itself instead of handing it on."""

    async def handle(message: UserMessage) -> Any:
        text = message.text or ""
        if len(text) <= MAX_MESSAGE_CHARS:
            return await on_new_message(message)
        logger.info("A %s message of %d characters was over the limit and not kept.", message.input_channel, len(text))
        for reply in too_long_replies(text, message.metadata):
            await message.output_channel.send_text_message(message.sender_id, reply)
        return None

    return handle
