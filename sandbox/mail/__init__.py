"""Outgoing client emails: v4's default templates, variable substitution and rendering."""

from __future__ import annotations

from sandbox.mail.markup import html_to_text
from sandbox.mail.templates import (
    DEFAULT_SIGNATURE,
    TEMPLATE_KINDS,
    EmailVariables,
    RenderedEmail,
    default_body,
    default_subject,
    email_footer,
    render_email,
    render_template,
)

__all__ = [
    "DEFAULT_SIGNATURE",
    "TEMPLATE_KINDS",
    "EmailVariables",
    "RenderedEmail",
    "default_body",
    "default_subject",
    "email_footer",
    "html_to_text",
    "render_email",
    "render_template",
]
