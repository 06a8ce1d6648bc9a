"""AdminClient methods for the outbox: ``/__admin/outbox``."""

from __future__ import annotations

from typing import Any

from sandbox.client.transport import Transport, wait_body


class OutboxMethods(Transport):
    """The outbox: ``/__admin/outbox``."""

    def list_outbox(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/outbox``: emails sent, oldest first (``to``, ``subject``, ``invoice_id``, ...)."""
        result: dict[str, Any] = self._call("list_outbox", query=filters)
        return result

    def clear_outbox(self) -> dict[str, Any]:
        """``DELETE /__admin/outbox``: forget every email."""
        result: dict[str, Any] = self._call("clear_outbox")
        return result

    def latest_message(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/outbox/latest``: the newest matching email (``AdminError`` 404 if none)."""
        result: dict[str, Any] = self._call("latest_message", query=filters)
        return result

    def wait_outbox(
        self, *, count: int = 1, timeout_ms: int | None = None, **filters: str | int | None
    ) -> dict[str, Any]:
        """``POST /__admin/outbox/wait``: wait until ``count`` emails match the filters."""
        body = wait_body(count, timeout_ms, filters)
        result: dict[str, Any] = self._call("wait_outbox", body=body)
        return result

    def get_message(self, message_id: int) -> dict[str, Any]:
        """``GET /__admin/outbox/{id}``: one email with its bodies and attachment metadata."""
        result: dict[str, Any] = self._call("get_message", {"id": message_id})
        return result

    def delete_message(self, message_id: int) -> dict[str, Any]:
        """``DELETE /__admin/outbox/{id}``: forget one email."""
        result: dict[str, Any] = self._call("delete_message", {"id": message_id})
        return result

    def message_html(self, message_id: int) -> str:
        """``GET /__admin/outbox/{id}/html``: the email's HTML body."""
        return bytes(self._call("message_html", {"id": message_id})).decode("utf-8")

    def message_text(self, message_id: int) -> str:
        """``GET /__admin/outbox/{id}/text``: the email's plain-text body."""
        return bytes(self._call("message_text", {"id": message_id})).decode("utf-8")

    def get_attachment(self, message_id: int, index: int) -> bytes:
        """``GET /__admin/outbox/{id}/attachments/{index}``: an attachment's bytes."""
        return bytes(self._call("get_attachment", {"id": message_id, "index": index}))
