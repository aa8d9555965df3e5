"""Registry text to plain text: one normal form for the API v2 markdown and the legacy XML textblocks.

API v2 text is markdown with backslash escapes and HTML entities (`BMI \\&lt; 37`); the legacy XML is
hard-wrapped at ~100 columns with `&#xD;` line ends. Both become the same plain text: paragraphs
unwrapped (a single newline inside a paragraph is a soft break in markdown too), each list item on
its own line as `- item` or `1. item`, nested items indented two spaces per level, and a blank line
between paragraphs.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # backslash before any ASCII punctuation
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_LIST_MARKER = re.compile(
    r"^(?P<indent>\s*)(?P<marker>[-*+\u2022\u00b7\u25cf\u25aa\u2013]|\d{1,3}[.)]|\(\d{1,3}\)|[a-zA-Z][.)]|\([a-zA-Z]{1,4}\))\s+(?P<text>\S.*)$"
)
_BULLETS = set("-*+\u2022\u00b7\u25cf\u25aa\u2013")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph or a list item of cleaned text."""

    text: str
    marker: str | None = None  # "-" for bullets, "1." for numbered items; None for a paragraph
    depth: int = 0

    def render(self) -> str:
        """The block as one line of plain text."""
        if self.marker is None:
            return self.text
        return f"{'  ' * self.depth}{self.marker} {self.text}"


def unescape(raw: str, *, markdown: bool) -> str:
    """Undo markdown backslash escapes (v2 only) and HTML entities; normalise line ends."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if markdown:
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    # Entities can be escaped twice in the source (`&amp;lt;`); two passes reach the character.
    for _ in range(2):
        if "&" not in text:
            break
        text = html.unescape(text)
    return text


def clean_inline(raw: str | None, *, markdown: bool = False) -> str | None:
    """A short field (title, name, condition) on one line; None when nothing is left."""
    if raw is None:
        return None
    text = _SPACES.sub(" ", unescape(raw, markdown=markdown).replace("\n", " ")).strip()
    return text or None


def _normal_marker(marker: str) -> str:
    if marker in _BULLETS:
        return "-"
    return marker.rstrip(".)").strip("()") + "."


def text_blocks(raw: str, *, markdown: bool) -> list[Block]:
    """Split registry text into paragraphs and list items, unwrapping hard-wrapped lines."""
    blocks: list[Block] = []
    current: list[str] = []
    marker: str | None = None
    depth = 0
    indents: list[int] = []  # indentation of the open list levels, outermost first

    def flush() -> None:
        nonlocal current, marker
        if current:
            blocks.append(Block(" ".join(current), marker, depth))
        current, marker = [], None

    for line in unescape(raw, markdown=markdown).split("\n"):
        stripped = _SPACES.sub(" ", line).strip()
        if not stripped:
            flush()
            continue
        item = _LIST_MARKER.match(line)
        if item:
            flush()
            indent = len(item["indent"].expandtabs(4))
            while indents and indent < indents[-1]:
                indents.pop()
            if not indents or indent > indents[-1]:
                indents.append(indent)
            depth = len(indents) - 1
            marker = _normal_marker(item["marker"])
            current = [_SPACES.sub(" ", item["text"]).strip()]
        elif current and not current[-1].endswith(":"):
            current.append(stripped)  # a wrapped line continues the block above
        else:
            flush()
            indents.clear()
            depth = 0
            current = [stripped]
    flush()
    return blocks


def render_blocks(blocks: list[Block]) -> str:
    """Blocks as plain text: items one a line, a blank line around paragraphs."""
    out: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if previous is not None:
            both_items = previous.marker is not None and block.marker is not None
            out.append("\n" if both_items else "\n\n")
        out.append(block.render())
        previous = block
    return "".join(out)


def clean_block(raw: str | None, *, markdown: bool = False) -> str | None:
    """A long field (summary, description, criteria) as normalised plain text; None when empty."""
    if raw is None:
        return None
    text = render_blocks(text_blocks(raw, markdown=markdown))
    return text or None
