"""Stream study objects out of JSON of any size: an array, a `/studies` page, one object, or JSON lines.

Only one study is held in memory at a time, so a 500k-study array reads in flat memory. The stdlib
decoder does the parsing (`raw_decode` on a sliding buffer); this module only walks the outer shape.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import IO, Any

_CHUNK = 1 << 20
_WHITESPACE = " \t\r\n\ufeff"


class JsonShapeError(ValueError):
    """The JSON is malformed or not a shape that holds studies; the message says where."""


class _Buffer:
    """A text window over a binary stream that remembers how far into the file it is."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self._bytes_read = 0
        self.text = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line number of text[0]

    def fill(self) -> bool:
        """Read one more chunk; False at end of input."""
        if self.eof:
            return False
        chunk = self._stream.read(_CHUNK)
        try:
            decoded = self._decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            offset = self._bytes_read + error.start
            raise JsonShapeError(f"not valid UTF-8: byte 0x{chunk[error.start]:02x} at offset {offset}") from None
        self._bytes_read += len(chunk)
        if self.pos > _CHUNK:  # drop what was consumed so the buffer stays small
            self._line += self.text.count("\n", 0, self.pos)
            self.text, self.pos = self.text[self.pos :], 0
        self.text += decoded
        self.eof = not chunk
        return True

    def where(self, pos: int | None = None) -> str:
        pos = self.pos if pos is None else pos
        line = self._line + self.text.count("\n", 0, pos)
        column = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        return f"line {line}, column {column}"

    def peek(self) -> str:
        """The next non-whitespace character ('' at end of input), without consuming it."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.text) or not self.fill():
                return self.text[self.pos : self.pos + 1]

    def expect(self, chars: str) -> str:
        char = self.peek()
        if not char or char not in chars:
            found = repr(char) if char else "end of file"
            raise JsonShapeError(
                f"malformed JSON at {self.where()}: expected {' or '.join(map(repr, chars))}, found {found}"
            )
        self.pos += 1
        return char

    def value(self, decoder: json.JSONDecoder) -> Any:
        """Decode one JSON value, reading more input while it is incomplete."""
        self.peek()
        while True:
            try:
                obj, end = decoder.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as error:
                if self.fill():
                    continue
                raise JsonShapeError(f"malformed JSON at {self.where(error.pos)}: {error.msg}") from None
            # A number at the very end of the buffer may continue in the next chunk.
            if end == len(self.text) and not self.eof and not isinstance(obj, (dict, list, str)):
                self.fill()
                continue
            self.pos = end
            return obj


def iter_json_studies(stream: IO[bytes]) -> Iterator[Any]:
    """Yield each study object in the stream, whatever the outer shape; raises JsonShapeError."""
    buffer = _Buffer(stream)
    decoder = json.JSONDecoder()
    if not buffer.peek():
        raise JsonShapeError("empty file")
    while buffer.peek():
        char = buffer.peek()
        if char == "[":
            yield from _array(buffer, decoder)
        elif char == "{":
            yield from _object(buffer, decoder)
        else:
            raise JsonShapeError(f"malformed JSON at {buffer.where()}: expected an object or an array, found {char!r}")


def _array(buffer: _Buffer, decoder: json.JSONDecoder) -> Iterator[Any]:
    buffer.expect("[")
    if buffer.peek() == "]":
        buffer.pos += 1
        return
    while True:
        yield buffer.value(decoder)
        if buffer.expect(",]") == "]":
            return


def _object(buffer: _Buffer, decoder: json.JSONDecoder) -> Iterator[Any]:
    """A `/studies` page streams its `studies` array; any other object is one study."""
    buffer.expect("{")
    fields: dict[str, Any] = {}
    is_page = False
    if buffer.peek() == "}":
        buffer.pos += 1
        raise JsonShapeError("empty JSON object: not a study and not a page of studies")
    while True:
        key = buffer.value(decoder)
        if not isinstance(key, str):
            raise JsonShapeError(f"malformed JSON at {buffer.where()}: object key is not a string")
        buffer.expect(":")
        if key == "studies" and buffer.peek() == "[":
            is_page = True
            yield from _array(buffer, decoder)
        else:
            fields[key] = buffer.value(decoder)
        if buffer.expect(",}") == "}":
            break
    if not is_page:
        yield fields
