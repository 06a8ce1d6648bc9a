"""Invitations: one per contact an invoice goes to (``InvoiceRepository::saveInvitations``)."""

from __future__ import annotations

from sandbox.models.accounts import Env
from sandbox.models.clients import active_contacts
from sandbox.store import Record


def invitations_of(env: Env, invoice: Record) -> list[Record]:
    """An invoice's live invitations, oldest first."""
    found = env.store.find("invitations", "invoice_id", invoice["public_id"], env.account_id)
    return sorted((row for row in found if row.get("deleted_at") is None), key=lambda row: row["doc_id"])


def new_invitation(env: Env, invoice: Record, contact_id: int) -> Record:
    """An unsent invitation of one contact to an invoice, with a fresh key."""
    return env.store.insert(
        "invitations",
        {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "invoice_id": invoice["public_id"],
            "contact_id": contact_id,
            "public_id": env.store.next_public_id("invitations", env.account_id),
            "invitation_key": env.new_key(),
            "sent_date": None,
            "viewed_date": None,
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )


def save_invitations(env: Env, invoice: Record, client: Record) -> None:
    """Invite every contact with ``send_invoice`` (else the first one); drop invitations no longer wanted."""
    contacts = active_contacts(env.store, client)
    if not contacts:
        return
    wanted = {c["public_id"] for c in contacts if c.get("send_invoice")} or {contacts[0]["public_id"]}
    existing = {row["contact_id"]: row for row in invitations_of(env, invoice)}
    for contact in contacts:
        invitation = existing.get(contact["public_id"])
        if contact["public_id"] in wanted and invitation is None:
            new_invitation(env, invoice, contact["public_id"])
        elif contact["public_id"] not in wanted and invitation is not None:
            env.store.update(
                "invitations", invitation["doc_id"], {"deleted_at": env.now, "updated_at": env.now}
            )


def mark_invitation_sent(env: Env, invitation: Record) -> None:
    """``Invitation::markSent``: the sent date is now."""
    sent = env.today.isoformat() + " " + _clock(env.now)
    env.store.update("invitations", invitation["doc_id"], {"sent_date": sent, "updated_at": env.now})


def _clock(now: int) -> str:
    seconds = now % 86400
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def all_invitations_sent(env: Env, invoice: Record) -> bool:
    """``Invoice::areInvitationsSent``."""
    return all(row.get("sent_date") for row in invitations_of(env, invoice))
