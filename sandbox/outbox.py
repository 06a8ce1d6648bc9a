"""The outbox: every email the sandbox "sent", kept in memory (bounded) instead of going out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.bounded import BoundedLog


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


class Outbox(BoundedLog[Message]):
    """Messages, oldest first; past ``limit`` the oldest are dropped and counted."""

    def messages(self) -> list[Message]:
        """Every kept message, oldest first."""
        return self.entries()

    def get(self, message_id: int) -> Message | None:
        """One message by id."""
        return next((m for m in self.entries() if m.id == message_id), None)
