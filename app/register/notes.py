"""Notes the register writes into history itself (DESIGN §5).

They are stored as they always were: in Dutch, with their values filled in, so history stays
readable by any tool and backups keep their format. Pages and e-mails show them in the reader's
language: :func:`translated_note` recognises a stored note by its template and translates the
template, keeping the values. A clerk's own note is shown as written.
"""

from __future__ import annotations

import re

from flask_babel import gettext


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it."""
    return message


SEEDED = N_("Geladen uit de seeddata.")
SEEDED_STATUS = N_("Status uit de seeddata.")
SEEDED_FULFILMENT = N_("Voldaan met Kamerstuk %(kamerstuk)s.")
FROM_LETTER = N_("Overgenomen uit de brief.")
FROM_REPORT = N_("Overgenomen uit het verslag.")
FROM_LETTER_AS_EARLIER = N_("Overgenomen uit een brief die haar noemt als eerder gedaan.")
MENTIONED_IN = N_("Genoemd in %(document)s: “%(sentence)s”")
FULFILLED_BY_LETTER = N_("Voldaan met deze brief: “%(sentence)s”")

#: Every note the register writes itself.
SYSTEM_NOTES = (
    SEEDED,
    SEEDED_STATUS,
    SEEDED_FULFILMENT,
    FROM_LETTER,
    FROM_REPORT,
    FROM_LETTER_AS_EARLIER,
    MENTIONED_IN,
    FULFILLED_BY_LETTER,
)

#: The actor of changes made without a person (seeding, scheduled work), as history stores it.
SYSTEM_ACTOR = N_("Systeem")

_FIELD = re.compile(r"%\((\w+)\)s")


def _pattern(template: str) -> re.Pattern[str]:
    parts = _FIELD.split(template)
    # split() alternates literal text and field names.
    written = "".join(
        re.escape(part) if index % 2 == 0 else f"(?P<{part}>.*)" for index, part in enumerate(parts)
    )
    return re.compile(written, re.DOTALL)


_PATTERNS = [(template, _pattern(template)) for template in SYSTEM_NOTES]


def system_note(template: str, **values: str) -> str:
    """A note of SYSTEM_NOTES as history stores it: Dutch, its values filled in."""
    return template % values if values else template


def translated_note(note: str | None) -> str | None:
    """``note`` in the reader's language when the register wrote it; else as written."""
    if not note:
        return note
    for template, pattern in _PATTERNS:
        found = pattern.fullmatch(note)
        if found:
            return str(gettext(template, **found.groupdict()))
    return note


def translated_actor(name: str | None) -> str | None:
    """The actor's name, with the system's own name in the reader's language."""
    return str(gettext(SYSTEM_ACTOR)) if name == SYSTEM_ACTOR else name
