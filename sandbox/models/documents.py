"""Documents: files attached to invoices and expenses (``DocumentRepository::upload``, ``Document``)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sandbox.documents_store import DOCUMENT_TYPES, TABLE, file_key
from sandbox.errors import ControllerError
from sandbox.models.accounts import Env
from sandbox.models.image_size import image_size
from sandbox.store import Record

#: ``Document::$extraExtensions``: extensions stored under another type.
EXTRA_EXTENSIONS = {"jpg": "jpeg", "tif": "tiff"}
#: ``MAX_DOCUMENT_SIZE`` in kilobytes of 1,000 bytes, as the repository divides.
MAX_DOCUMENT_SIZE = 10_000
#: ``DOCUMENT_PREVIEW_SIZE``: images wider or taller than this get a preview.
PREVIEW_SIZE = 300
IMAGE_TYPES = frozenset({"jpeg", "png", "gif", "bmp", "tiff", "psd"})
#: Previews of these types need Imagick, which a stock PHP install lacks, so v4 makes none.
IMAGICK_TYPES = frozenset({"bmp", "tiff", "psd"})
UNSUPPORTED_TYPE = "Unsupported file type"
TOO_LARGE = "File too large"


@dataclass(frozen=True)
class Upload:
    """What a document is made from: the client's file name and the bytes."""

    name: str
    data: bytes

    @property
    def extension(self) -> str:
        """``strtolower(getClientOriginalExtension())``."""
        _, dot, extension = self.name.rpartition(".")
        return extension.lower() if dot else ""


def document_type(extension: str) -> str | None:
    """The type v4 stores for an extension (``jpg`` is ``jpeg``), or None when it is not allowed."""
    extension = extension.lower()
    if extension not in DOCUMENT_TYPES and extension in EXTRA_EXTENSIONS:
        extension = EXTRA_EXTENSIONS[extension]
    return extension if extension in DOCUMENT_TYPES else None


def mime_type(doc_type: str) -> str | None:
    """``Document::$types[type]['mime']``."""
    return DOCUMENT_TYPES.get(doc_type)


def _preview(account_key: str, sha1: str, doc_type: str, size: tuple[int, int] | None) -> str:
    """The preview path v4 records for an image, or ``""`` when it makes none."""
    if doc_type not in IMAGE_TYPES or doc_type in IMAGICK_TYPES or size is None:
        return ""
    width, height = size
    if doc_type != "gif" and width <= PREVIEW_SIZE and height <= PREVIEW_SIZE:
        return ""
    preview_type = "jpeg" if doc_type == "jpeg" else "png"
    return f"{account_key}/{sha1}.{doc_type}.x{PREVIEW_SIZE}.{preview_type}"


def _last_255_bytes(name: str) -> str:
    """``substr($name, -255)``."""
    return name.encode("utf-8")[-255:].decode("utf-8", errors="ignore")


def new_document(
    env: Env,
    upload: Upload,
    keep: Callable[[str, bytes], None],
    *,
    invoice: Record | None = None,
    expense: Record | None = None,
    is_default: bool = False,
) -> Record:
    """``DocumentRepository::upload``: check the file, keep its bytes (``keep``), then insert the row.

    An unsupported type or a file over 10,000 KB is refused with a 400 (v4 crashes there instead).
    A document names an invoice or an expense, never both: the expense is dropped.
    """
    doc_type = document_type(upload.extension)
    if doc_type is None:
        raise ControllerError(UNSUPPORTED_TYPE, 400)
    size = len(upload.data)
    if size / 1000 > MAX_DOCUMENT_SIZE:
        raise ControllerError(TOO_LARGE, 400)
    if invoice is not None and expense is not None:
        expense = None
    sha1 = hashlib.sha1(upload.data).hexdigest()
    key = file_key(env.account_id, sha1, doc_type)
    assert key is not None
    account_key = str(env.actor.account["account_key"])
    dimensions = image_size(upload.data) if doc_type in IMAGE_TYPES else None
    # The bytes are durable before the row exists: a committed row always has its file.
    keep(key, upload.data)
    return env.store.insert(
        TABLE,
        {
            "account_id": env.account_id,
            "user_id": env.actor.user_id,
            "public_id": env.store.next_public_id(TABLE, env.account_id),
            "invoice_id": invoice["public_id"] if invoice is not None else None,
            "expense_id": expense["public_id"] if expense is not None else None,
            "path": f"{account_key}/{sha1}.{doc_type}",
            "preview": _preview(account_key, sha1, doc_type, dimensions),
            "name": _last_255_bytes(upload.name),
            "type": doc_type,
            "disk": "documents",
            "hash": sha1,
            "size": size,
            "width": dimensions[0] if dimensions else None,
            "height": dimensions[1] if dimensions else None,
            "is_default": is_default,
            "created_at": env.now,
            "updated_at": env.now,
            "deleted_at": None,
        },
    )


def delete_document(env: Env, document: Record) -> Record:
    """``$document->delete()``: the row goes for good (documents have no trash); the file is the caller's."""
    env.store.remove(TABLE, int(document["doc_id"]))
    return document
