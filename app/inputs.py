"""What the register accepts from outside: characters that text may hold, and record ids.

Used at every edge: the forms (app.forms), the URL guard (app.errors), the list filters, and the
writers of XML files (the Atom feed, Excel) for text that was stored before these rules held.
"""

from __future__ import annotations

import re

#: Characters no stored text may hold: the C0 control characters other than tab, line feed and
#: carriage return (PostgreSQL refuses NUL; XML 1.0, and so Atom and Excel, cannot hold any of
#: them), UTF-16 surrogates and the non-characters U+FFFE and U+FFFF (not XML either).
INVALID_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: Line breaks and tabs: allowed in multi-line text, replaced by a space on a single line.
LINE_BREAKS_AND_TABS = re.compile("[\t\n\r]+")

#: The largest id a form or URL may name: the largest 32-bit signed integer, as in the
#: database's integer columns. Larger numbers cannot name a record.
MAX_ID = 2**31 - 1

#: An id as a form or URL writes it: ASCII digits, perhaps with a zero fraction ("47.0"), which
#: JSON Schema (and so the API's description) also counts as an integer.
_ID = re.compile(r"(?P<digits>[0-9]{1,10})(?:\.0+)?")


def has_invalid_characters(text: str) -> bool:
    """True when ``text`` holds a character from :data:`INVALID_CHARACTERS`."""
    return INVALID_CHARACTERS.search(text) is not None


def without_invalid_characters(text: str) -> str:
    """``text`` with the characters of :data:`INVALID_CHARACTERS` left out."""
    return INVALID_CHARACTERS.sub("", text)


def one_line(text: str) -> str:
    """``text`` with every run of tabs and line breaks replaced by one space."""
    return LINE_BREAKS_AND_TABS.sub(" ", text)


def parse_id(text: object) -> int | None:
    """A record id written in ASCII digits, from 1 to :data:`MAX_ID`; None for anything else
    (``"²"`` and ``"٣"`` are digits to Python, not to the register)."""
    if isinstance(text, int) and not isinstance(text, bool):
        return text if 1 <= text <= MAX_ID else None
    found = _ID.fullmatch(str(text or "").strip())
    if found is None:
        return None
    value = int(found["digits"])
    return value if 1 <= value <= MAX_ID else None


def choice_id(value: object) -> int:
    """``coerce`` for a SelectField of record ids: 0 for "— geen —", else a valid id.

    Anything else raises ValueError, which WTForms reports as an invalid choice.
    """
    if value in (None, "", "0", 0):
        return 0
    found = parse_id(value)
    if found is None:
        raise ValueError(value)
    return found
