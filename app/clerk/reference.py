"""Admins keep the reference data that promises point to: ministries, ministers (bewindspersonen),
committees and documents. Clerks add documents inline while recording; here they are corrected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import can_maintain_officials, is_admin, is_coordinator
from app.clerk import bp
from app.clerk.reference_forms import CommitteeForm, DocumentForm, MinistryForm, OfficialForm
from app.extensions import db
from app.formatting import long_date
from app.forms import Form, choices, render_form
from app.inputs import parse_id
from app.register import queries, services
from app.register.models import Committee, Document, DocumentKind, Ministry, Official


@dataclass(frozen=True)
class ReferenceKind:
    """One kind of reference data: how to list it, fill its form and save it."""

    slug: str
    title: Any
    model: type
    form: type[Form]
    order_by: Callable[[], Any]
    columns: list[tuple[Any, Callable[[Any], str]]]
    load: Callable[[Any, Any], None]
    #: Saves the form's values through a service: (form, item or None) -> item.
    save: Callable[[Any, Any | None], Any]
    prepare: Callable[[Any], None] = lambda form: None


def _ministry_choices(form: OfficialForm) -> None:
    ministries = queries.ministries_by_name()
    form.ministry.choices = choices((m.id, f"{m.name} ({m.code})") for m in ministries)


def _through_service(
    model: type[Any], values: Callable[[Any], dict[str, Any]]
) -> Callable[[Any, Any | None], Any]:
    """A save that hands the form's values to services.save_reference."""
    return lambda form, item: services.save_reference(model, item, values(form))


def _ministry_values(form: MinistryForm) -> dict[str, Any]:
    return {"code": (form.code.data or "").strip(), "name": (form.name.data or "").strip()}


def _load_ministry(form: MinistryForm, ministry: Ministry) -> None:
    form.code.data, form.name.data = ministry.code, ministry.name


def _official_values(form: OfficialForm) -> dict[str, Any]:
    return {
        "name": (form.name.data or "").strip(),
        "function": (form.function.data or "").strip(),
        "ministry_id": form.ministry.data,
        "active_from": form.active_from.data,
        "active_to": form.active_to.data,
    }


def _load_official(form: OfficialForm, official: Official) -> None:
    form.name.data, form.function.data = official.name, official.function
    form.ministry.data = official.ministry_id
    form.active_from.data, form.active_to.data = official.active_from, official.active_to


def _committee_values(form: CommitteeForm) -> dict[str, Any]:
    return {
        "name": (form.name.data or "").strip(),
        "abbreviation": (form.abbreviation.data or "").strip() or None,
    }


def _load_committee(form: CommitteeForm, committee: Committee) -> None:
    form.name.data, form.abbreviation.data = committee.name, committee.abbreviation


def _document_values(form: DocumentForm) -> dict[str, Any]:
    dossier_number, ondernummer = Document.parse_reference(form.reference.data or "")
    return {
        "dossier_number": dossier_number,
        "ondernummer": ondernummer,
        "kind": DocumentKind(form.kind.data),
        "title": (form.title.data or "").strip(),
        "date": form.date.data,
        "url": form.url.data or None,
    }


def _save_document(form: DocumentForm, document: Document | None) -> Document:
    """A new Kamerstuk is registered as clerks do it inline; a known one is corrected."""
    if document is None:
        return services.register_document(
            form.reference.data or "",
            title=form.title.data or "",
            date=form.date.data,
            kind=DocumentKind(form.kind.data),
            url=form.url.data or None,
        )
    saved: Document = services.save_reference(Document, document, _document_values(form))
    return saved


def _load_document(form: DocumentForm, document: Document) -> None:
    form.reference.data = document.kamerstuk_label or ""
    form.kind.data = document.kind.value
    form.title.data, form.date.data, form.url.data = document.title, document.date, document.url


KINDS = {
    kind.slug: kind
    for kind in (
        ReferenceKind(
            slug="ministeries",
            title=_l("Ministeries"),
            model=Ministry,
            form=MinistryForm,
            order_by=lambda: Ministry.code,
            columns=[(_l("Code"), lambda m: m.code), (_l("Naam"), lambda m: m.name)],
            load=_load_ministry,
            save=_through_service(Ministry, _ministry_values),
        ),
        ReferenceKind(
            slug="bewindspersonen",
            title=_l("Bewindspersonen"),
            model=Official,
            form=OfficialForm,
            order_by=lambda: Official.name,
            columns=[
                (_l("Naam"), lambda o: o.name),
                (_l("Functie"), lambda o: o.function),
                (_l("Ministerie"), lambda o: o.ministry.code),
                (
                    _l("In functie"),
                    lambda o: f"{long_date(o.active_from)} – {long_date(o.active_to)}",
                ),
            ],
            load=_load_official,
            save=_through_service(Official, _official_values),
            prepare=_ministry_choices,
        ),
        ReferenceKind(
            slug="commissies",
            title=_l("Commissies"),
            model=Committee,
            form=CommitteeForm,
            order_by=lambda: Committee.name,
            columns=[
                (_l("Naam"), lambda c: c.name),
                (_l("Afkorting"), lambda c: c.abbreviation or ""),
            ],
            load=_load_committee,
            save=_through_service(Committee, _committee_values),
        ),
        ReferenceKind(
            slug="documenten",
            title=_l("Documenten"),
            model=Document,
            form=DocumentForm,
            order_by=lambda: Document.date.desc(),
            columns=[
                (_l("Kamerstuk"), lambda d: d.kamerstuk_label or ""),
                (_l("Titel"), lambda d: d.title),
                (_l("Datum"), lambda d: long_date(d.date)),
            ],
            load=_load_document,
            save=_save_document,
        ),
    )
}


#: The one kind coordinators keep too, for their own ministry.
OFFICIALS = "bewindspersonen"


def _kind(slug: str) -> ReferenceKind:
    if not is_admin(current_user) and not (slug == OFFICIALS and is_coordinator(current_user)):
        abort(403, description=_("Alleen beheerders mogen dit."))
    if slug not in KINDS:
        abort(404, description=_("Onbekend soort referentiegegevens."))
    return KINDS[slug]


def _check_ministry(kind: ReferenceKind, ministry_id: int | None) -> None:
    """A coordinator keeps their own ministry's officials, nobody else's."""
    if kind.slug == OFFICIALS and not can_maintain_officials(current_user, ministry_id):
        abort(
            403,
            description=_(
                "U kunt alleen de bewindspersonen van uw eigen ministerie toevoegen of wijzigen."
            ),
        )


def _own_ministry_only(form: OfficialForm) -> None:
    """A coordinator's official form offers their own ministry alone."""
    ministry = current_user.ministry
    form.ministry.choices = choices([(ministry.id, f"{ministry.name} ({ministry.code})")])


@bp.get("/referentie/")
def reference_index() -> ResponseReturnValue:
    if not is_admin(current_user):
        abort(403, description=_("Alleen beheerders mogen dit."))
    counts = {slug: queries.count_of(kind.model) for slug, kind in KINDS.items()}
    return render_template("clerk/reference_index.html", kinds=KINDS, counts=counts)


@bp.get("/referentie/<slug>/")
def reference_list(slug: str) -> ResponseReturnValue:
    kind = _kind(slug)
    if is_admin(current_user):
        items = queries.all_of(kind.model, kind.order_by())
    else:  # a coordinator, on the officials
        items = queries.officials_of(current_user.ministry_id)
    return render_template("clerk/reference_list.html", kind=kind, items=items)


@bp.route("/referentie/<slug>/nieuw", methods=["GET", "POST"])
def reference_new(slug: str) -> ResponseReturnValue:
    return _edit(_kind(slug), None)


@bp.route("/referentie/<slug>/<int:item_id>", methods=["GET", "POST"])
def reference_edit(slug: str, item_id: int) -> ResponseReturnValue:
    kind = _kind(slug)
    item = db.session.get(kind.model, item_id)
    if item is None:
        abort(404, description=_("Dit gegeven bestaat niet (meer)."))
    if kind.slug == OFFICIALS:
        _check_ministry(kind, item.ministry_id)
    return _edit(kind, item)


def _edit(kind: ReferenceKind, item: Any | None) -> ResponseReturnValue:
    form = kind.form()
    kind.prepare(form)
    if kind.slug == OFFICIALS and not is_admin(current_user):
        if request.method == "POST":  # another ministry's id, sent by hand, is refused
            _check_ministry(kind, parse_id(request.form.get("ministry")))
        _own_ministry_only(form)
    if request.method == "GET" and item is not None:
        kind.load(form, item)
    if form.validate_on_submit():
        first_field = next(iter(form))
        try:
            kind.save(form, item)
        except ValueError as error:  # CommitmentRuleError included
            db.session.rollback()
            first_field.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Opgeslagen."), "info")
            return redirect(url_for("clerk.reference_list", slug=kind.slug))
    return render_form("clerk/reference_form.html", kind=kind, form=form, item=item)
