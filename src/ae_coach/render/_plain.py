"""rich's layout of the terminal review, without rich, for output that carries no colour.

Importing rich and drawing the tables costs more than a whole offline review's coaching, and a review
written to a pipe or a file (or under ``NO_COLOR``) is plain text. These functions reproduce, byte for
byte, what rich 15 draws for the few things the review uses: word-wrapped text, a panel with a title, an
expanding table whose prose columns share the width by ratio, a centred rule and hanging indents. They
do it only for text whose every character rich measures as one cell; anything else (wide or combining
characters, tabs, control characters, a backslash or an ``:emoji:`` code that rich's markup would
rewrite, a table too wide for the terminal) makes :func:`page` return None, and the caller draws with
rich. ``tests/test_render_plain.py`` compares the two on every example deal at several widths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from itertools import pairwise
from math import ceil

_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
_EMOJI_CODE = re.compile(r":\S*?:")
"""rich's markup replaces ``:name:`` with an emoji when it knows the name; any such text goes to rich."""


class Declined(Exception):
    """The text or the layout is one this module does not reproduce exactly: draw it with rich."""


_ONE_CELL = (
    (0x20, 0x2FF),  # Latin, Latin-1, Latin extended
    (0x370, 0x482),  # Greek, Cyrillic
    (0x1E00, 0x1EFF),  # Latin extended additional
    (0x2010, 0x2027),  # dashes, quotes, bullets, ellipsis
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),  # currency
    (0x2100, 0x22FF),  # letterlike, arrows, mathematical operators
    (0x2500, 0x25FC),  # box drawing, shapes
)
"""Ranges whose printable, non-combining characters rich draws one cell wide (a test checks every one)."""


def one_cell(char: str) -> bool:
    """True when rich measures ``char`` as one cell and draws it as it is."""
    if " " <= char <= "~":
        return char != "\\"
    code = ord(char)
    return (
        any(low <= code <= high for low, high in _ONE_CELL) and char.isprintable() and not unicodedata.combining(char)
    )


def check(text: str) -> None:
    """Raise :class:`Declined` unless every line of ``text`` is made of one-cell characters, with no
    backslash (rich's markup unescapes ``\\[``) and nothing rich's markup would turn into an emoji."""
    if _EMOJI_CODE.search(text):
        raise Declined
    if not all(one_cell(c) for c in set(text) - {"\n"}):
        raise Declined


def wrap(text: str, width: int, *, pad: bool = False, no_wrap: bool = False) -> list[str]:
    """``Text.wrap``: each line of ``text`` broken at word boundaries (a word longer than the width
    folded), whitespace past the width dropped; ``pad`` is left justification (lines padded to the
    width), ``no_wrap`` crops a long line with an ellipsis instead."""
    if width < 1:
        raise Declined
    lines = []
    for line in text.split("\n"):
        pieces = [line] if no_wrap else [_rstrip_end(p, width) for p in _divide(line, _breaks(line, width))]
        for piece in pieces:
            if len(piece) > width:
                piece = piece[: width - 1] + "…" if no_wrap else piece[:width]
            elif pad:
                piece = piece.ljust(width)
            lines.append(piece)
    return lines


def _breaks(text: str, width: int) -> list[int]:
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:  # fold the word across lines
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks:
                if start:
                    breaks.append(start)
                start += len(chunk)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    return breaks


def _divide(text: str, breaks: list[int]) -> list[str]:
    edges = [0, *breaks, len(text)]
    return [text[a:b] for a, b in pairwise(edges)]


def _rstrip_end(text: str, width: int) -> str:
    excess = len(text) - width
    if excess > 0:
        space = _TRAILING_SPACE.search(text)
        if space is not None:
            return text[: len(text) - min(len(space.group()), excess)]
    return text


def indented(text: str, indent: int, width: int) -> list[str]:
    """``Padding(Text(text), (0, 0, 0, indent), expand=False)``: wrapped lines hanging under the first."""
    longest = min(max((len(line) for line in text.splitlines()), default=0), width)
    inner = min(longest + indent, width) - indent
    return [" " * indent + line for line in wrap(text, inner, pad=True)]


def rule(title: str, width: int) -> str:
    """``console.rule(title)``: the title centred in a line of ``─``."""
    title = title.replace("\n", " ")
    if width - 4 < 1 or len(title) > width - 4:
        raise Declined
    side = (width - len(title)) // 2
    left = "─" * (side - 1)
    right = "─" * min(side + 1, width - len(left) - len(title))
    return f"{left} {title} {right}"[:width].ljust(width)


def panel(title: str, parts: Sequence[tuple[str, int]], width: int) -> list[str]:
    """``Panel(Group(...), title=title, title_align="left")``; ``parts`` are (text, indent) pairs, an
    indented one ``Padding(Text(text), (0, 0, 0, indent))``."""
    inner = width - 4
    if inner < 1:
        raise Declined
    if title:
        heading = f" {title.replace(chr(10), ' ')} "[:inner]
        top = f"╭─{heading}{'─' * (inner - len(heading))}─╮"
    else:
        top = f"╭{'─' * (width - 2)}╮"
    lines = [top]
    for text, indent in parts:
        body = wrap(text, inner - indent, pad=True)
        lines += [f"│ {' ' * indent}{line} │" for line in body]
    return [*lines, f"╰{'─' * (width - 2)}╯"]


class Column:
    """A table column: its header, and either no wrapping (sized to its content) or a share of the rest."""

    def __init__(self, header: str, *, ratio: int | None = None) -> None:
        self.header = header
        self.ratio = ratio


def table(title: str, columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[str]:
    """``Table(title=title, title_justify="left", expand=True)`` with HEAVY_HEAD borders; a column without
    a ratio is ``no_wrap``, one with a ratio ``overflow="fold"``."""
    widths = _widths(columns, rows, width - len(columns) - 1)
    lines = wrap(title, sum(widths) + len(columns) + 1, pad=True) if title else []
    lines.append("┏" + "┳".join("━" * w for w in widths) + "┓")
    lines += _row([c.header for c in columns], columns, widths, "┃", bottom=True)
    lines.append("┡" + "╇".join("━" * w for w in widths) + "┩")
    for row in rows:
        lines += _row(row, columns, widths, "│", bottom=False)
    lines.append("└" + "┴".join("─" * w for w in widths) + "┘")
    return lines


def column_widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int) -> list[int]:
    """The widths :func:`table` (and rich) give each column at ``width``, borders excluded, padding
    included; raises :class:`Declined` where rich would collapse the columns."""
    return _widths(columns, rows, width - len(columns) - 1)


def _widths(columns: Sequence[Column], rows: Sequence[Sequence[str]], space: int) -> list[int]:
    fixed = []
    for index, column in enumerate(columns):
        if column.ratio is not None:
            fixed.append(0)
            continue
        cells = [column.header, *(row[index] for row in rows)]
        longest = max(len(line) for cell in cells for line in [*cell.splitlines(), ""])
        fixed.append(min(longest + 2, space))
    ratios = [c.ratio for c in columns if c.ratio is not None]
    shares = iter(_distribute(space - sum(fixed), ratios, 3))
    widths = [w if c.ratio is None else next(shares) for w, c in zip(fixed, columns, strict=True)]
    if sum(widths) != space or min(widths) < 3:
        raise Declined  # rich would collapse the columns: not reproduced here
    return widths


def _distribute(total: int, ratios: list[int], minimum: int) -> list[int]:
    """rich's ``ratio_distribute`` with one minimum for every part."""
    parts = []
    remaining, ratio_left = total, sum(ratios)
    for ratio in ratios:
        part = max(minimum, ceil(ratio * remaining / ratio_left)) if ratio_left > 0 else remaining
        parts.append(part)
        ratio_left -= ratio
        remaining -= part
    return parts


def _row(cells: Sequence[str], columns: Sequence[Column], widths: list[int], edge: str, *, bottom: bool) -> list[str]:
    drawn = [
        [f" {line} " for line in wrap(cell, width - 2, pad=True, no_wrap=column.ratio is None)]
        for cell, column, width in zip(cells, columns, widths, strict=True)
    ]
    height = max(len(cell) for cell in drawn)
    for cell, width in zip(drawn, widths, strict=True):
        blank = [" " * width] * (height - len(cell))
        cell[:] = blank + cell if bottom else cell + blank
    return [edge + edge.join(cell[i] for cell in drawn) + edge for i in range(height)]
