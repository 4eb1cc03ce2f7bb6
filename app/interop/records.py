"""The Tweede Kamer's ``Toezegging`` records, read from and written to its open-data shapes.

Three inputs give the same records (DESIGN §13): an OData JSON page
(``{"value": [...], "@odata.nextLink": ...}``), a folder of such pages, and a SyncFeed Atom
document whose entries hold a ``toezegging`` element in the Kamer's data namespace. Reading
never touches the database; a record that cannot be read becomes a ``BadRecord`` with its
position, so the rest of a file still imports.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from flask_babel import gettext as _

from app.inputs import has_invalid_characters
from app.register.models import TEXT_MAX_LENGTH

#: The Kamer's data namespace of SyncFeed content.
TK_DATA_NAMESPACE = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"

#: ``DatumNakoming`` and other dates use this moment for "no date".
NO_DATE = "0001-01-01T00:00:00Z"

#: The relations between promises, by their OData name, and the kind the register keeps.
RELATIONS = {
    "isAanvullingOp": "aanvulling",
    "isHerhalingVan": "herhaling",
    "isWijzigingVan": "wijziging",
}
RELATION_NAMES = {kind: name for name, kind in RELATIONS.items()}

#: The plain text fields of a record, in the order the Kamer lists them.
TEXT_FIELDS = (
    "Nummer",
    "Tekst",
    "Naam",
    "Initialen",
    "Voornaam",
    "Tussenvoegsel",
    "Achternaam",
    "Functie",
    "Ministerie",
    "Status",
    "ActiviteitNummer",
    "KamerbriefNakoming",
    "Notities",
)

#: The longest value of each field the register keeps (its column's size).
FIELD_LIMITS = {
    "Nummer": 40,
    "Tekst": TEXT_MAX_LENGTH,
    "Naam": 200,
    "Initialen": 40,
    "Voornaam": 100,
    "Tussenvoegsel": 40,
    "Achternaam": 100,
    "Functie": 200,
    "Ministerie": 200,
    "Status": 60,
    "ActiviteitNummer": 40,
    "KamerbriefNakoming": 500,
    "Notities": 5000,
}

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class UnreadableFile(ValueError):
    """A file that holds no records the register can read; the message is Dutch."""


@dataclass(frozen=True)
class TkRecord:
    """One ``Toezegging`` as the Kamer gives it; dates kept as the Kamer wrote them."""

    id: str
    changed_on: str
    changed_at: dt.datetime
    fields: Mapping[str, str | None]
    created_on: str | None
    deadline: dt.date | None
    deleted: bool = False
    api_changed_on: str | None = None
    promised_to_person: str | None = None
    promised_to_party: str | None = None
    relations: tuple[tuple[str, str], ...] = ()
    #: False for a deletion that carries only the id (as SyncFeed entries of deleted records
    #: may): it marks a known promise deleted and says nothing else.
    complete: bool = True

    def get(self, name: str) -> str | None:
        return self.fields.get(name)

    @property
    def made_on(self) -> dt.date | None:
        """The day the promise was made: ``Aanmaakdatum`` in its own offset."""
        return parse_moment(self.created_on).date() if self.created_on else None


@dataclass(frozen=True)
class BadRecord:
    """A record that could not be read: where it was, and why (Dutch)."""

    position: str
    reason: str


@dataclass
class Reading:
    """What one or more files held."""

    records: list[TkRecord] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    next_link: str | None = None


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 moment as the Kamer writes it (``2026-03-12T10:15:00.12+01:00``, ``…Z``);
    a moment without an offset is taken as UTC."""
    moment = dt.datetime.fromisoformat(text.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def is_no_date(text: str | None) -> bool:
    return not text or text.strip().startswith("0001-01-01")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    raise ValueError(_("een tekstveld bevat geen tekst"))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in {"true", "1", "false", "0", ""}:
        return value.strip().lower() in {"true", "1"}
    raise ValueError(_("Verwijderd is geen ja of nee: %(value)r", value=value))


def _guid(value: Any, what: str) -> str:
    text = str(value or "").strip().lower()
    if not _GUID.match(text):
        raise ValueError(_("%(what)s is geen geldige GUID: %(value)r", what=what, value=value))
    return text


def _person(value: Any) -> str | None:
    """``toegezegdAanPersoon``: a name, or a Persoon object as OData expands it."""
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        if value.get("Naam"):
            return str(value["Naam"])
        parts = [value.get(key) for key in ("Roepnaam", "Tussenvoegsel", "Achternaam")]
        return " ".join(str(part) for part in parts if part) or None
    raise ValueError(_("toegezegdAanPersoon is geen naam"))


def _party(value: Any) -> str | None:
    """``toegezegdAanFractie``: an abbreviation, or a Fractie object."""
    if value is None or isinstance(value, str):
        return value or None
    if isinstance(value, Mapping):
        found = value.get("Afkorting") or value.get("NaamNL") or value.get("Naam")
        return str(found) if found else None
    raise ValueError(_("toegezegdAanFractie is geen fractie"))


def _relation_targets(value: Any, name: str) -> list[str]:
    """A relation as ids: one id, a list of ids, or (expanded) objects with ``Id``."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [_guid(item.get("Id") if isinstance(item, Mapping) else item, name) for item in items]


def record_from_json(item: Any) -> TkRecord:
    """One OData ``Toezegging`` object; ValueError (Dutch) when it is not one."""
    if not isinstance(item, Mapping):
        raise ValueError(_("dit is geen object"))
    kamer_id = _guid(item.get("Id"), "Id")
    changed_on = _text(item.get("GewijzigdOp"))
    if not changed_on:
        raise ValueError(_("GewijzigdOp ontbreekt"))
    try:
        changed_at = parse_moment(changed_on)
    except ValueError:
        raise ValueError(
            _("GewijzigdOp is geen datum en tijd: %(value)r", value=changed_on)
        ) from None
    deleted = _bool(item.get("Verwijderd"))
    fields = {name: _text(item.get(name)) for name in TEXT_FIELDS}
    if deleted and not (fields["Tekst"] or "").strip():
        return TkRecord(
            id=kamer_id,
            changed_on=changed_on,
            changed_at=changed_at,
            fields=fields,
            created_on=None,
            deadline=None,
            deleted=True,
            api_changed_on=_text(item.get("ApiGewijzigdOp")),
            complete=False,
        )
    for name, value in fields.items():
        if value is not None and len(value) > FIELD_LIMITS[name]:
            raise ValueError(
                _("%(field)s is langer dan %(max)s tekens", field=name, max=FIELD_LIMITS[name])
            )
        if value is not None and has_invalid_characters(value):
            raise ValueError(_("%(field)s bevat tekens die niet in tekst horen", field=name))
    if not (fields["Tekst"] or "").strip():
        raise ValueError(_("Tekst ontbreekt"))
    created_on = _text(item.get("Aanmaakdatum"))
    if is_no_date(created_on):
        raise ValueError(_("Aanmaakdatum ontbreekt"))
    assert created_on is not None
    deadline_text = _text(item.get("DatumNakoming"))
    try:
        parse_moment(created_on)
        deadline = None if is_no_date(deadline_text) else parse_moment(str(deadline_text)).date()
    except ValueError:
        raise ValueError(
            _("een datum is onleesbaar: %(value)r", value=deadline_text or created_on)
        ) from None
    relations: list[tuple[str, str]] = []
    for name, kind in RELATIONS.items():
        raw = item.get(name, item.get(name[0].upper() + name[1:]))
        relations.extend((kind, target) for target in _relation_targets(raw, name))
    return TkRecord(
        id=kamer_id,
        changed_on=changed_on,
        changed_at=changed_at,
        fields=fields,
        created_on=created_on,
        deadline=deadline,
        deleted=deleted,
        api_changed_on=_text(item.get("ApiGewijzigdOp")),
        promised_to_person=_person(item.get("toegezegdAanPersoon")),
        promised_to_party=_party(item.get("toegezegdAanFractie")),
        relations=tuple(relations),
    )


def record_to_json(record: TkRecord) -> dict[str, Any]:
    """The OData shape of ``record``: what :func:`record_from_json` reads back the same."""
    data: dict[str, Any] = {"Id": record.id}
    data.update({name: record.fields.get(name) for name in TEXT_FIELDS})
    data["Aanmaakdatum"] = record.created_on
    data["DatumNakoming"] = (
        record.deadline.isoformat() + "T00:00:00Z" if record.deadline else NO_DATE
    )
    data["Verwijderd"] = record.deleted
    data["GewijzigdOp"] = record.changed_on
    data["ApiGewijzigdOp"] = record.api_changed_on
    data["toegezegdAanPersoon"] = record.promised_to_person
    data["toegezegdAanFractie"] = record.promised_to_party
    for name, kind in RELATIONS.items():
        data[name] = [{"Id": target} for k, target in record.relations if k == kind]
    return data


def read_json_page(text: str | bytes, source: str) -> Reading:
    """An OData page: its records, the unreadable ones, and the next page's link."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise UnreadableFile(_("%(source)s is geen JSON.", source=source)) from None
    if isinstance(document, list):
        items, next_link = document, None
    elif isinstance(document, Mapping) and isinstance(document.get("value"), list):
        items, next_link = document["value"], document.get("@odata.nextLink")
    else:
        raise UnreadableFile(
            _('%(source)s is geen pagina met toezeggingen (geen lijst "value").', source=source)
        )
    reading = Reading(next_link=next_link if isinstance(next_link, str) else None)
    for number, item in enumerate(items, start=1):
        try:
            reading.records.append(record_from_json(item))
        except ValueError as error:
            reading.bad.append(BadRecord(f"{source}, record {number}", str(error)))
    return reading


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element_to_item(element: Element) -> dict[str, Any]:
    """A SyncFeed ``toezegging`` element as the OData object it stands for.

    Attributes: ``id``, ``bijgewerkt`` (GewijzigdOp) and ``verwijderd``; child elements carry
    the fields by their name (``nummer`` or ``Nummer``), relations and persons by ``ref``."""
    attributes = {_local(key).lower(): value for key, value in element.attrib.items()}
    item: dict[str, Any] = {
        "Id": attributes.get("id"),
        "GewijzigdOp": attributes.get("bijgewerkt"),
        "Verwijderd": attributes.get("verwijderd", "false"),
    }
    names = {name.lower(): name for name in (*TEXT_FIELDS, "Aanmaakdatum", "DatumNakoming")}
    names.update({name.lower(): name for name in RELATIONS})
    names.update({"toegezegdaanpersoon": "toegezegdAanPersoon"})
    names.update({"toegezegdaanfractie": "toegezegdAanFractie"})
    names.update({"apigewijzigdop": "ApiGewijzigdOp", "gewijzigdop": "GewijzigdOp"})
    for child in element:
        name = names.get(_local(child.tag).lower())
        if name is None:
            continue
        if name in RELATIONS:
            item.setdefault(name, []).append(child.get("ref"))
        elif name in {"toegezegdAanPersoon", "toegezegdAanFractie"}:
            item[name] = child.get("ref") or (child.text or None)
        else:
            item[name] = child.text or ""
    return item


def read_atom_feed(data: bytes, source: str) -> Reading:
    """A SyncFeed document: the ``toezegging`` of every entry; entries of other kinds are
    passed over. XML that declares entities or external references is refused."""
    try:
        root = safe_xml.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise UnreadableFile(
            _(
                "%(source)s bevat XML met entiteiten of verwijzingen; die leest het register niet.",
                source=source,
            )
        ) from None
    except safe_xml.ParseError as error:
        raise UnreadableFile(
            _("%(source)s is geen leesbare XML (%(error)s).", source=source, error=error)
        ) from None
    if _local(root.tag) != "feed":
        raise UnreadableFile(_("%(source)s is geen SyncFeed (Atom).", source=source))
    reading = Reading()
    for link in root.findall(f"{{{ATOM_NAMESPACE}}}link"):
        if link.get("rel") == "next":
            reading.next_link = link.get("href")
    for number, entry in enumerate(root.findall(f"{{{ATOM_NAMESPACE}}}entry"), start=1):
        content = entry.find(f"{{{ATOM_NAMESPACE}}}content")
        elements = list(content) if content is not None else []
        found = [e for e in elements if e.tag == f"{{{TK_DATA_NAMESPACE}}}toezegging"]
        if not found:
            continue
        item = _element_to_item(found[0])
        updated = entry.findtext(f"{{{ATOM_NAMESPACE}}}updated")
        item.setdefault("ApiGewijzigdOp", updated)
        try:
            reading.records.append(record_from_json(item))
        except ValueError as error:
            reading.bad.append(BadRecord(f"{source}, entry {number}", str(error)))
    return reading


def read_data(data: bytes, source: str) -> Reading:
    """One file's bytes, JSON or Atom by its first character."""
    start = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"<":
        return read_atom_feed(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_("%(source)s is geen UTF-8.", source=source)) from None
    return read_json_page(text, source)


def files_in(paths: Iterable[Path]) -> Iterator[Path]:
    """The files named, a folder standing for its ``.json`` and ``.xml`` files by name."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                child for child in path.iterdir() if child.suffix.lower() in {".json", ".xml"}
            )
        else:
            yield path


def read_paths(paths: Iterable[Path]) -> Reading:
    """Every record in the files and folders named, in order."""
    reading = Reading()
    for path in files_in(paths):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise UnreadableFile(
                _("%(path)s is niet te lezen: %(error)s", path=path, error=error.strerror)
            ) from None
        part = read_data(data, path.name)
        reading.records.extend(part.records)
        reading.bad.extend(part.bad)
    return reading
