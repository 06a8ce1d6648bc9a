"""Small API calls many tests make."""

from __future__ import annotations

from typing import Any

import httpx


def archive_contact(api: httpx.Client, contact: dict[str, Any]) -> httpx.Response:
    """``PUT /contacts/{id}?action=archive`` with the fields v4's validation demands even for an action."""
    return api.put(
        f"/contacts/{contact['id']}",
        params={"action": "archive"},
        json={
            "first_name": contact["first_name"],
            "last_name": contact["last_name"],
            "email": contact["email"],
        },
    )
