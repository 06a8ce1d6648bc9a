"""AdminClient methods for webhook deliveries and subscriptions: ``/__admin/webhooks``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.client.transport import Transport, wait_body


class WebhookMethods(Transport):
    """Webhook deliveries and subscriptions: ``/__admin/webhooks``."""

    def list_webhooks(self, **filters: str | int | None) -> dict[str, Any]:
        """``GET /__admin/webhooks``: webhook deliveries, oldest first (``event``, ``status``, ...)."""
        result: dict[str, Any] = self._call("list_webhooks", query=filters)
        return result

    def clear_webhooks(self) -> dict[str, Any]:
        """``DELETE /__admin/webhooks``: forget the delivery log."""
        result: dict[str, Any] = self._call("clear_webhooks")
        return result

    def list_subscriptions(self, **filters: str | None) -> dict[str, Any]:
        """``GET /__admin/webhooks/subscriptions``: every subscription with its settings."""
        result: dict[str, Any] = self._call("list_subscriptions", query=filters)
        return result

    def get_subscription_settings(self, subscription_id: int) -> dict[str, Any]:
        """``GET /__admin/webhooks/subscriptions/{subscription_id}/settings``: delay and simulated failure."""
        params = {"subscription_id": subscription_id}
        result: dict[str, Any] = self._call("get_subscription_settings", params)
        return result

    def put_subscription_settings(self, subscription_id: int, settings: Mapping[str, Any]) -> dict[str, Any]:
        """``PUT /__admin/webhooks/subscriptions/{subscription_id}/settings``: ``delay_ms`` and ``fail``."""
        params = {"subscription_id": subscription_id}
        result: dict[str, Any] = self._call("put_subscription_settings", params, body=dict(settings))
        return result

    def wait_webhooks(
        self, *, count: int = 1, timeout_ms: int | None = None, **filters: str | int | None
    ) -> dict[str, Any]:
        """``POST /__admin/webhooks/wait``: wait until ``count`` finished deliveries match the filters."""
        body = wait_body(count, timeout_ms, filters)
        result: dict[str, Any] = self._call("wait_webhooks", body=body)
        return result

    def get_delivery(self, delivery_id: int) -> dict[str, Any]:
        """``GET /__admin/webhooks/{id}``: one delivery."""
        result: dict[str, Any] = self._call("get_delivery", {"id": delivery_id})
        return result

    def redeliver(self, delivery_id: int) -> dict[str, Any]:
        """``POST /__admin/webhooks/{id}/redeliver``: send the same delivery again, now."""
        result: dict[str, Any] = self._call("redeliver", {"id": delivery_id})
        return result
