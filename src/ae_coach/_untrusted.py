"""Defanging untrusted text (deal files, CRM cells, model answers) before a terminal or a model reads it.

Two places read text as more than text:

* a **terminal** obeys escape sequences: a deal's notes could retitle the window, clear the screen or plant
  a hyperlink to anywhere. :func:`terminal_safe` removes every C0/C1 control character (tab and newline
  excepted), every ESC/CSI/OSC/DCS sequence and the bidirectional overrides that reorder what is shown;
* a **model** reads our ``<deal_data>`` delimiters: :func:`visible` turns text into what it looks like
  (HTML entities decoded, zero-width and other invisible characters removed, NFKC for fullwidth forms) and
  :func:`skeleton` folds confusable letters for the search, so the prompt builder's check cannot be
  dodged with a look-alike;
* a **markdown viewer** turns text into HTML: :func:`markdown_text` makes deal and CRM text render as typed
  (no script, image or link), :func:`markdown_prose` keeps a model's formatting but not its HTML or links.
"""

from __future__ import annotations

import html
import re
import unicodedata

# ESC followed by a CSI (ESC [), OSC (ESC ]), DCS/SOS/PM/APC (ESC P, X, ^, _) body up to its terminator, or a
# two-character escape; the 8-bit C1 forms (0x9b CSI, 0x9d OSC, ...) likewise.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI: parameters, intermediates, final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # any other escape
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 (but tab and newline), DEL, C1, and the bidi embeddings, overrides and isolates."""


def terminal_safe(text: str) -> str:
    """``text`` with escape sequences and control characters removed; tabs and newlines are kept.

    ``\\r\\n`` becomes ``\\n``; a lone ``\\r`` (which lets text overwrite what was printed) is removed.
    """
    if text.isprintable():  # the common case: nothing to strip (newlines and tabs are not printable)
        return text
    return _CONTROL.sub("", _ESCAPE.sub("", text.replace("\r\n", "\n")))


_INVISIBLE = re.compile(
    r"[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u2060-\u206f\ufeff\ufe00-\ufe0f]"
)
"""Zero-width spaces and joiners, soft hyphens, variation selectors, invisible operators, BOM."""

# Letters a reader takes for Latin ones (Unicode's confusables, for the letters and signs of our delimiters).
_CONFUSABLES = str.maketrans(
    {
        **dict.fromkeys("аɑα", "a"),
        **dict.fromkeys("ԁⅾ", "d"),
        **dict.fromkeys("еҽ", "e"),
        **dict.fromkeys("іɩιӏ", "i"),
        **dict.fromkeys("ӏⅼ", "l"),
        **dict.fromkeys("ո", "n"),
        **dict.fromkeys("оοσ", "o"),
        **dict.fromkeys("рρ", "p"),
        **dict.fromkeys("г", "r"),
        **dict.fromkeys("ѕ", "s"),
        **dict.fromkeys("τт", "t"),
        **dict.fromkeys("υս", "u"),
        **dict.fromkeys("хχ", "x"),
        **dict.fromkeys("сϲ", "c"),
        **dict.fromkeys("ΑА", "A"),
        **dict.fromkeys("ΕЕ", "E"),
        **dict.fromkeys("ΤТ", "T"),
        **dict.fromkeys("ΙІ", "I"),
        **dict.fromkeys("ΝΝ", "N"),
        **dict.fromkeys("ОΟ", "O"),
        **dict.fromkeys("РΡ", "P"),
        **dict.fromkeys("ЅS", "S"),
        **dict.fromkeys("〈⟨ᐸ❮＜﹤˂", "<"),
        **dict.fromkeys("〉⟩ᐳ❯＞﹥˃", ">"),
        **dict.fromkeys("∕⁄⧸／", "/"),
        **dict.fromkeys("‐‑‒–—―−", "-"),
    }
)


def visible(text: str) -> str:
    """``text`` as a reader sees it: HTML entities decoded (repeatedly: ``&amp;lt;`` is ``<`` to a lenient
    reader), invisible characters removed, NFKC-normalised (fullwidth ``＜`` is ``<``)."""
    if text.isascii() and "&" not in text:
        return text
    for _ in range(4):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", _INVISIBLE.sub("", text)))


def skeleton(text: str) -> str:
    """``text`` with confusable letters and signs folded to the Latin ones they imitate, character for
    character (same length), for finding look-alikes without rewriting a Cyrillic or Greek name."""
    return text.translate(_CONFUSABLES)


# Markdown: what a renderer would turn into markup. ``&`` and ``<`` become entities (no raw HTML, no
# autolink, an entity shows as typed); the rest is backslash-escaped (no link, image, emphasis, code span,
# table cell break, heading, strikethrough, or a blockquote from a leading ">").
_MD_ENTITY = re.compile(r"&(?=#\d+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
"""An ampersand that would start a character reference ("&lt;", "&#60;"): only those are escaped, so "S&OP" stays
"S&OP" in the markdown source and still renders as typed."""


def _md_entities(text: str) -> str:
    return _MD_ENTITY.sub("&amp;", text).replace("<", "&lt;")


_MD_PUNCTUATION = re.compile(r"([\\`*_\[\]|!#~])")
_MD_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"\n]*\")?\s*\)")


def markdown_text(text: object) -> str:
    """Untrusted text (deal, CRM or model) as markdown that renders exactly as the text, on one line.

    ``<script>`` stays text, ``[click](javascript:...)`` is no link, ``![x](https://tracker/p.gif)`` loads
    nothing; newlines become spaces so the text cannot start a heading, a list or an HTML block.
    """
    plain = terminal_safe("" if text is None else str(text))
    plain = " ".join(plain.split("\n")) if "\n" in plain else plain
    escaped = _MD_PUNCTUATION.sub(r"\\\1", _md_entities(plain))
    return "\\" + escaped.lstrip() if escaped.lstrip().startswith(">") else escaped


def markdown_prose(text: str) -> str:
    """A model's markdown answer made safe to paste: its paragraphs, lists and emphasis are kept, but raw HTML
    shows as text, and every link or image becomes its text and visible URL (``click (javascript:alert(1))``),
    so nothing is hidden behind a link and no remote image loads."""
    text = _md_entities(terminal_safe(text))

    def unlink(match: re.Match[str]) -> str:
        label, url = match.group(2), match.group(3)
        shown = _MD_PUNCTUATION.sub(r"\\\1", url)
        kind = "image: " if match.group(1) else ""
        return f"{label} ({kind}{shown})" if label else f"({kind}{shown})"

    text = _MD_LINK.sub(unlink, text)
    # what is left of a link syntax (a reference link and its "[ref]: url" line) no longer forms one
    return text.replace("[", "\\[")
