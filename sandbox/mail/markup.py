"""HTML helpers for emails: v4's autolinking of bare URLs, and a readable plain-text version."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# --- autolinking, as the lib_autolink ``autolink($text, 100)`` call v4 makes after filling -------------

_URL_TAIL = re.compile(r"[a-z0-9\-./_%~!?=,:;&+*#@()$]+", re.IGNORECASE | re.ASCII)
_URL_MAY_FOLLOW = re.compile(r"[\s(\[{>]\Z", re.ASCII)
_OPEN_ANCHOR = re.compile(r"<a\s", re.IGNORECASE)
_CLOSE_ANCHOR = re.compile(r"</a>", re.IGNORECASE)
_AUTOLINK_PASSES = (
    (re.compile(r"[a-z][a-z-]+://", re.IGNORECASE | re.ASCII), ""),
    (re.compile(r"(?:mailto|skype):", re.IGNORECASE | re.ASCII), ""),
    (re.compile(r"www\.", re.IGNORECASE | re.ASCII), "http://"),
)


def _php_specialchars(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def autolink(text: str, limit: int) -> str:
    for pattern, prefix in _AUTOLINK_PASSES:
        text = _autolink_pass(text, pattern, prefix, limit)
    return text


def _autolink_pass(text: str, pattern: re.Pattern[str], prefix: str, limit: int) -> str:
    out: list[str] = []
    cursor = 0
    while cursor < len(text):
        hit = pattern.search(text, cursor)
        if hit is None:
            break
        before = text[: hit.start()]
        in_anchor = _OPEN_ANCHOR.search(_CLOSE_ANCHOR.split(before)[-1]) is not None
        tail = _URL_TAIL.match(text, hit.end())
        if in_anchor or (before and not _URL_MAY_FOLLOW.search(before)) or tail is None:
            out.append(text[cursor : hit.end()])
            cursor = hit.end()
            continue
        out.append(text[cursor : hit.start()])
        cursor = tail.end()
        url = html.unescape(text[hit.start() : tail.end()])
        while url[-1] in ".,!;:?":
            url = url[:-1]
            cursor -= 1
        for opener, closer in ("()", "[]", "{}"):
            if url.endswith(closer) and opener not in url:
                url = url[:-1]
                cursor -= 1
        href = prefix + url
        label = url if len(url) <= limit else url[: limit - 3] + "..."
        title = ""
        if label != href and not re.fullmatch(rf"(?:http|https)://{re.escape(label)}", href, re.IGNORECASE):
            title = f' title="{href}"'
        out.append(f'<a href="{_php_specialchars(href)}"{title}>{_php_specialchars(label)}</a>')
    out.append(text[cursor:])
    return "".join(out)


# --- HTML to plain text ------------------------------------------------------------------------------

_SKIPPED_TAGS = frozenset({"head", "script", "style", "title"})
_PARAGRAPH_TAGS = frozenset(
    {"address", "blockquote", "center", "div", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "ol", "p", "pre"}
    | {"section", "table", "ul"}
)
_LINE_TAGS = frozenset({"li", "tr"})
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    """Collects the readable text of an HTML fragment, keeping link targets."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.pieces: list[str] = []
        self._skipping = 0
        self._anchors: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag == "br":
            self.pieces.append("\n")
        elif tag in _PARAGRAPH_TAGS:
            self.pieces.append("\n\n")
        elif tag in _LINE_TAGS:
            self.pieces.append("\n")
        elif tag == "td":
            self.pieces.append(" ")
        elif tag == "a":
            self._anchors.append((dict(attrs).get("href") or "", len(self.pieces)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _PARAGRAPH_TAGS:
            self.pieces.append("\n\n")
        elif tag == "a" and self._anchors:
            href, start = self._anchors.pop()
            label = _HTML_SPACE.sub(" ", "".join(self.pieces[start:])).strip()
            self.pieces[start:] = [_link_text(label, href.strip())]

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.pieces.append(_HTML_SPACE.sub(" ", data))


def _link_text(label: str, href: str) -> str:
    if not href or href.startswith("#"):
        return label
    if not label or (label.endswith("...") and href.startswith(label[:-3])):
        return href
    if href in (label, f"http://{label}", f"mailto:{label}"):
        return label
    return f"{label} ({href})"


def html_to_text(markup: str) -> str:
    """A readable plain-text version of an HTML email body; links keep their URLs."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    lines = [line.strip(" \t") for line in "".join(parser.pieces).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


# --- whole emails ------------------------------------------------------------------------------------
