"""Telegram's HTML parse mode, as the fake Bot API server applies it.

The scanner follows TDLib's ``parse_html`` (td/telegram/MessageEntity.cpp), which is what
api.telegram.org runs, so the error texts are Telegram's: the server prefixes them with
``"Bad Request: can't parse entities: "``.  Offsets and lengths of entities, and the text
length limits, are counted in UTF-16 code units, as the Bot API documents
(https://core.telegram.org/bots/api#messageentity).

One deliberate deviation: Telegram keeps an ``&`` that does not start one of the entities it
knows as a literal character (so ``Tom & Jerry`` and ``&nbsp;`` pass through unchanged).  The
fake rejects it, because a bot that sends such text has not escaped user input and will break
as soon as the input contains ``<``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["EntityParseError", "parse_html", "strip_formatted", "utf16_len"]

# https://core.telegram.org/bots/api#html-style
_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    }
)
_ENTITY_TYPE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "blockquote": "blockquote",
}
# "The API currently supports only the following named HTML entities: &lt;, &gt;, &amp; and
# &quot;" -- plus all numerical ones.
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z][a-zA-Z0-9]*));")
_SPACES = " \t\r\n\f\v"


class EntityParseError(ValueError):
    """Text that Telegram refuses in HTML parse mode; ``str()`` is Telegram's reason."""


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset in the visible text where the tag's content starts
    byte_offset: int  # where the tag starts in the source, for error messages


def utf16_len(text: str) -> int:
    """Length of ``text`` in UTF-16 code units, the unit Telegram counts in."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into ``(visible_text, entities)`` or raise :class:`EntityParseError`.

    Entities are Bot API ``MessageEntity`` dicts sorted by offset (longest first on ties), with
    empty ones dropped, as Telegram drops them.
    """
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_Open] = []
    position = 0  # UTF-16 length of the visible text produced so far
    i = 0
    n = len(source)

    def byte_offset(index: int) -> int:
        return len(source[:index].encode("utf-8"))

    while i < n:
        char = source[i]
        if char == "&":
            decoded, i = _decode_entity(source, i, byte_offset(i))
            out.append(decoded)
            position += utf16_len(decoded)
            continue
        if char != "<":
            out.append(char)
            position += 2 if ord(char) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        if source.startswith("</", i):
            i = _skip_until(source, i + 2, _SPACES + ">")
            if i >= n:
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            tag = source[begin + 2 : i].lower()
            i = _skip_spaces(source, i)
            if i >= n or source[i] != ">":
                raise EntityParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            if not stack:
                raise EntityParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            opened = stack[-1]
            if tag != opened.tag:
                raise EntityParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{opened.tag}>", found "</{tag}>"'
                )
            stack.pop()
            _close(opened, position, stack, entities, "".join(out))
            continue

        # A start tag.
        i = _skip_until(source, i + 1, _SPACES + ">")
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        tag = source[begin + 1 : i].lower()
        if tag not in _SUPPORTED_TAGS:
            raise EntityParseError(
                f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}'
            )
        argument, i = _parse_attributes(source, i, tag, byte_offset(begin))
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        if tag == "tg-emoji" and not argument.isdigit():
            raise EntityParseError("Invalid custom emoji identifier specified")
        stack.append(_Open(tag, argument, position, byte_offset(begin)))

    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(out), entities


def strip_formatted(text: str, entities: list[dict[str, Any]]) -> tuple[str, list[dict[str, Any]]]:
    """Trim surrounding whitespace the way Telegram does, clipping entities to what remains."""
    lead = utf16_len(text) - utf16_len(text.lstrip())
    stripped = text.strip()
    end = lead + utf16_len(stripped)
    result: list[dict[str, Any]] = []
    for entity in entities:
        start = max(entity["offset"], lead)
        stop = min(entity["offset"] + entity["length"], end)
        if stop > start:
            result.append({**entity, "offset": start - lead, "length": stop - start})
    return stripped, result


def _skip_until(source: str, i: int, stops: str) -> int:
    while i < len(source) and source[i] not in stops:
        i += 1
    return i


def _skip_spaces(source: str, i: int) -> int:
    while i < len(source) and source[i] in _SPACES:
        i += 1
    return i


def _decode_entity(source: str, i: int, byte_offset: int) -> tuple[str, int]:
    match = _ENTITY_RE.match(source, i)
    if match is not None:
        decimal, hexadecimal, name = match.groups()
        if name is not None:
            if name in _NAMED_ENTITIES:
                return _NAMED_ENTITIES[name], match.end()
        else:
            code = int(decimal) if decimal is not None else int(hexadecimal, 16)
            if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
                return chr(code), match.end()
    shown = source[i : i + 12].split(" ")[0]
    raise EntityParseError(
        f'Unsupported HTML entity "{shown}" at byte offset {byte_offset}: escape "&" as "&amp;" '
        "(only &lt; &gt; &amp; &quot; and numeric entities are supported)"
    )


def _parse_attributes(source: str, i: int, tag: str, begin: int) -> tuple[str, int]:
    """Read a start tag's attributes up to and including ``>``; return (argument, index)."""
    n = len(source)
    argument = ""
    while True:
        i = _skip_spaces(source, i)
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if source[i] == ">":
            return argument, i + 1
        name_start = i
        i = _skip_until(source, i, _SPACES + "=>")
        name = source[name_start:i].lower()
        if not name:
            raise EntityParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
            )
        i = _skip_spaces(source, i)
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if source[i] != "=":
            # A value-less attribute; only <blockquote expandable> means anything.
            if tag == "blockquote" and name == "expandable":
                argument = "expandable"
            continue
        i = _skip_spaces(source, i + 1)
        if i >= n:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        if source[i] in "'\"":
            quote = source[i]
            i += 1
            value_chars: list[str] = []
            while i < n and source[i] != quote:
                if source[i] == "&":
                    decoded, i = _decode_entity(source, i, len(source[:i].encode("utf-8")))
                    value_chars.append(decoded)
                else:
                    value_chars.append(source[i])
                    i += 1
            if i >= n:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            i += 1
            value = "".join(value_chars)
        else:
            # "A name token (a sequence of letters, digits, periods, or hyphens)".
            token_start = i
            while i < n and (source[i].isalnum() or source[i] in ".-"):
                i += 1
            value = source[token_start:i].lower()
            if i >= n or (source[i] not in _SPACES and source[i] != ">"):
                at = len(source[:token_start].encode("utf-8"))
                raise EntityParseError(f"Unexpected end of name token at byte offset {at}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value.removeprefix("language-")
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value.removeprefix("tg-")
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _close(
    opened: _Open,
    position: int,
    stack: list[_Open],
    entities: list[dict[str, Any]],
    text_so_far: str,
) -> None:
    """Turn a closed tag into an entity (empty ones are dropped, as Telegram drops them)."""
    length = position - opened.offset
    parent = stack[-1] if stack else None
    if (
        opened.tag == "code"
        and parent is not None
        and parent.tag == "pre"
        and parent.offset == opened.offset
    ):
        # <pre><code class="language-x"> is one "pre" entity with a language.
        if opened.argument:
            parent.argument = opened.argument
        return
    if length <= 0:
        return
    entity: dict[str, Any] = {
        "type": _ENTITY_TYPE[opened.tag],
        "offset": opened.offset,
        "length": length,
    }
    if opened.tag == "pre" and opened.argument:
        entity["language"] = opened.argument
    elif opened.tag == "a":
        url = opened.argument
        if not url:
            # <a> without href links its own text, as TDLib does.
            encoded = text_so_far.encode("utf-16-le")
            url = encoded[opened.offset * 2 : position * 2].decode("utf-16-le")
        entity["url"] = url
    elif opened.tag == "tg-emoji":
        entity["custom_emoji_id"] = opened.argument
    elif opened.tag == "blockquote" and opened.argument == "expandable":
        entity["type"] = "expandable_blockquote"
    entities.append(entity)
