"""The outbox: every email the sandbox "sent", kept in memory (bounded) instead of going out.

It keeps at most ``--journal-limit`` messages and at most ``MAX_BYTES`` of bodies and attachments
(invoice PDFs add up); the oldest go first and are counted in ``dropped``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.bounded import BoundedLog
from sandbox.changes import Changes

#: The outbox's memory budget for bodies and attachments, whatever its message limit.
MAX_BYTES = 64 * 1024 * 1024
#: What a message costs beyond its bodies and attachments, roughly.
MESSAGE_OVERHEAD = 1024


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content_type: str
    content: bytes

    def to_json(self) -> dict[str, Any]:
        """Metadata as the admin API lists it (the bytes have their own route)."""
        return {"filename": self.filename, "content_type": self.content_type, "size": len(self.content)}


@dataclass(frozen=True)
class Message:
    """One email: who it was for, what it said, what it carried, and what caused it."""

    id: int
    time: float
    account_key: str
    from_name: str
    from_email: str
    to: tuple[str, ...]
    cc: tuple[str, ...]
    bcc: tuple[str, ...]
    subject: str
    html: str
    text: str
    template: str
    invoice_id: int | None
    invitation_key: str | None
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """The message as the admin API shows it."""
        return {
            "id": self.id,
            "time": self.time,
            "account_key": self.account_key,
            "from": {"name": self.from_name, "email": self.from_email},
            "to": list(self.to),
            "cc": list(self.cc),
            "bcc": list(self.bcc),
            "subject": self.subject,
            "html": self.html,
            "text": self.text,
            "template": self.template,
            "invoice_id": self.invoice_id,
            "invitation_key": self.invitation_key,
            "attachments": [attachment.to_json() for attachment in self.attachments],
        }

    def size(self) -> int:
        """Roughly what the message holds in memory, in bytes."""
        attached = sum(len(attachment.content) for attachment in self.attachments)
        return MESSAGE_OVERHEAD + len(self.html) + len(self.text) + len(self.subject) + attached


@dataclass(frozen=True)
class MessageFilter:
    """Search criteria; each one given must hold. Text criteria are case-insensitive substrings."""

    to: str | None = None
    sender: str | None = None
    subject: str | None = None
    text: str | None = None
    invoice_id: int | None = None
    template: str | None = None
    account_key: str | None = None
    since: float | None = None

    def matches(self, message: Message) -> bool:
        """True when the message meets every criterion given."""
        checks = (
            self.to is None or any(_contains(address, self.to) for address in message.to),
            self.sender is None
            or _contains(message.from_email, self.sender)
            or _contains(message.from_name, self.sender),
            self.subject is None or _contains(message.subject, self.subject),
            self.text is None or _contains(message.text, self.text) or _contains(message.html, self.text),
            self.invoice_id is None or message.invoice_id == self.invoice_id,
            self.template is None or message.template.lower() == self.template.lower(),
            self.account_key is None or message.account_key == self.account_key,
            self.since is None or message.time >= self.since,
        )
        return all(checks)


def _contains(haystack: str, needle: str) -> bool:
    return needle.casefold() in haystack.casefold()


class Outbox(BoundedLog[Message]):
    """Messages, oldest first; past ``limit`` the oldest are dropped and counted.

    Every change is announced on :attr:`changes`, so a wait for a message wakes when one arrives.
    """

    def __init__(self, limit: int, max_bytes: int = MAX_BYTES) -> None:
        super().__init__(limit, max_bytes, Message.size)
        self.changes = Changes()

    def add(self, entry: Message) -> None:
        """Keep a message (dropping the oldest when full) and wake the waits."""
        super().add(entry)
        self.changes.notify()

    def clear(self) -> None:
        """Forget every message and wake the waits."""
        super().clear()
        self.changes.notify()

    def messages(self, where: MessageFilter | None = None) -> list[Message]:
        """Every kept message (matching ``where``, when given), oldest first."""
        entries = self.entries()
        return entries if where is None else [m for m in entries if where.matches(m)]

    def get(self, message_id: int) -> Message | None:
        """One message by id."""
        return next((m for m in self.entries() if m.id == message_id), None)

    def remove(self, message_id: int) -> bool:
        """Delete one message; False when there is none with that id."""
        message = self.get(message_id)
        if message is None or not self.discard(message):
            return False
        self.changes.notify()
        return True
