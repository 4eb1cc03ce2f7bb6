"""Clerks' screens: dashboard, record a promise, edit it, change status or deadline, fulfil it.

Views are thin: they check rights, read the form, call the register's services and commit once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth import permissions
from app.auth import queries as user_queries
from app.auth import services as auth_services
from app.auth.decorators import login_required
from app.auth.models import Role, User
from app.clerk import bp
from app.clerk.forms import CommitmentForm, DeadlineForm, FulfilForm, StatusForm
from app.extensions import db
from app.formatting import long_date, parse_date, today
from app.forms import choices, render_form
from app.inputs import parse_id
from app.register import queries, services
from app.register.deadlines import find_deadline
from app.register.models import (
    FIELD_LABELS,
    Activity,
    Commitment,
    CommitmentStatus,
    Committee,
    Document,
    DocumentKind,
    Ministry,
    Official,
)
from app.register.recesses import recess_calendar

NONE_CHOICE = (0, _l("— geen —"))


@bp.before_request
@login_required
def require_login() -> None:
    """Every clerk screen needs a logged-in user."""


def _commitment_or_404(number: str) -> Commitment:
    commitment = queries.commitment_by_number(number)
    if commitment is None:
        abort(404, description=_("Er is geen toezegging met nummer %(number)s.", number=number))
    return commitment


def _editable(number: str) -> Commitment:
    commitment = _commitment_or_404(number)
    if not permissions.can_edit(current_user, commitment):
        abort(403, description=_("U mag alleen toezeggingen van uw eigen ministerie wijzigen."))
    return commitment


def _resolve_phrase(phrase: str | None, reference: dt.date | None) -> dt.date | None:
    if not phrase or reference is None:
        return None
    # English phrases ("before the summer") are understood where the interface is English.
    found = find_deadline(phrase, reference, recess_calendar(), str(get_locale() or "nl"))
    return found.date if found else None


# Dashboard


@bp.get("/")
def dashboard() -> ResponseReturnValue:
    user: User = current_user
    return render_template(
        "clerk/dashboard.html",
        mine=queries.open_commitments_of(user.id),
        unassigned=queries.without_owner_or_deadline(_ministry_scope(user)),
        recent=queries.recently_changed(_ministry_scope(user)),
    )


def _ministry_scope(user: User) -> int | None:
    """The ministry whose lists a user sees on the dashboard; None means all (admins)."""
    return None if user.role is Role.ADMIN else user.ministry_id


# Recording and editing


def _fill_choices(form: CommitmentForm, ministry_id: int | None) -> None:
    user: User = current_user
    allowed = [m for m in queries.ministries_by_name() if permissions.can_create_for(user, m.id)]
    form.ministry.choices = choices((m.id, f"{m.name} ({m.code})") for m in allowed)
    ministry_id = ministry_id or (allowed[0].id if allowed else None)
    officials = queries.officials_of(ministry_id)
    form.responsible_official.choices = choices(
        [NONE_CHOICE] + [(o.id, f"{o.name}, {o.function}") for o in officials]
    )
    if not officials and ministry_id is not None:
        form.responsible_official.description = _who_adds_officials(user, ministry_id)
    form.owner.choices = choices(
        [NONE_CHOICE] + [(u.id, u.name) for u in user_queries.active_users_of(ministry_id)]
    )
    form.activity.choices = choices(
        [NONE_CHOICE]
        + [
            (a.id, f"{a.kind}: {a.title} ({long_date(a.date)})")
            for a in queries.recent_activities()
        ]
    )
    form.committee.choices = choices(
        [NONE_CHOICE] + [(c.id, c.name) for c in queries.committees_by_name()]
    )


def _who_adds_officials(user: User, ministry_id: int) -> str:
    """For a ministry without ministers or state secretaries: who can add them."""
    if permissions.can_maintain_officials(user, ministry_id):
        return str(
            _(
                "Dit ministerie heeft nog geen bewindspersonen in het register. U kunt ze "
                "toevoegen op de pagina Bewindspersonen."
            )
        )
    names = [c.name for c in auth_services.active_coordinators().get(ministry_id, [])]
    if names:
        return str(
            _(
                "Dit ministerie heeft nog geen bewindspersonen in het register. De coördinatoren "
                "van het ministerie (%(names)s) of een beheerder kunnen ze toevoegen.",
                names=", ".join(names),
            )
        )
    return str(
        _(
            "Dit ministerie heeft nog geen bewindspersonen in het register. Een beheerder kan "
            "ze toevoegen."
        )
    )


def _selected_ministry_id(form: CommitmentForm) -> int | None:
    chosen = parse_id(request.form.get("ministry")) if request.method == "POST" else None
    if chosen is not None:
        return chosen
    user: User = current_user
    return user.ministry_id


def _source_document(form: CommitmentForm) -> tuple[Document | None, bool]:
    """The chosen Kamerstuk, registering a new one when title and date are given."""
    if not form.source.data:
        return None, True
    document = services.find_document(form.source.data)
    if document is not None:
        return document, True
    if not form.source_title.data:
        form.source_title.errors = [
            _("Dit Kamerstuk staat nog niet in het register: vul de titel (en datum) in.")
        ]
        return None, False
    return services.register_document(
        form.source.data,
        title=form.source_title.data,
        date=form.source_date.data,
        kind=DocumentKind(form.source_kind.data),
    ), True


def _form_values(form: CommitmentForm, commitment: Commitment | None) -> dict[str, Any] | None:
    """The register's values from a validated form; None when a cross-field check failed."""
    user: User = current_user
    ministry = db.session.get(Ministry, form.ministry.data)
    if ministry is None or not permissions.can_create_for(user, ministry.id):
        form.ministry.errors = [_("Kies een ministerie waarvoor u toezeggingen mag vastleggen.")]
        return None
    official = db.session.get(Official, form.responsible_official.data or 0)
    if official is not None and official.ministry_id != ministry.id:
        form.responsible_official.errors = [_("Deze bewindspersoon hoort niet bij dit ministerie.")]
        return None
    source, ok = _source_document(form)
    if not ok:
        return None
    values: dict[str, Any] = {
        "title": (form.title.data or "").strip() or services.suggest_title(form.text.data or ""),
        "text": " ".join((form.text.data or "").split()),
        "made_on": form.made_on.data,
        "ministry": ministry,
        "source_document": source,
        "activity": db.session.get(Activity, form.activity.data or 0),
        "responsible_official": official,
        "requested_by": (form.requested_by.data or "").strip() or None,
        "committee": db.session.get(Committee, form.committee.data or 0),
        "internal_note": (form.internal_note.data or "").strip() or None,
    }
    may_assign = permissions.can_assign_owners(user, ministry.id)
    if commitment is None:
        values["owner"] = db.session.get(User, form.owner.data or 0) if may_assign else user
    elif may_assign:
        values["owner"] = db.session.get(User, form.owner.data or 0)
    owner = values.get("owner")
    if owner is not None and owner.ministry_id != ministry.id:
        form.owner.errors = [_("De eigenaar hoort bij een ander ministerie.")]
        return None
    if owner is not None and not owner.active and owner != getattr(commitment, "owner", None):
        form.owner.errors = [_("Dit account is niet meer actief; kies een andere eigenaar.")]
        return None
    if commitment is not None and not permissions.can_see_internal_note(user, commitment):
        values.pop("internal_note")
    return values


def _deadline_from_form(
    form: CommitmentForm | DeadlineForm, reference: dt.date | None
) -> dt.date | None:
    return form.deadline.data or _resolve_phrase(form.deadline_phrase.data, reference)


def _preview_message(form: CommitmentForm | DeadlineForm, reference: dt.date | None) -> str:
    """The no-script preview: resolve the phrase, fill in the date and say what it became."""
    phrase = (form.deadline_phrase.data or "").strip()
    date = _resolve_phrase(phrase, reference)
    if date is not None:
        form.deadline.data = date
        form.deadline.raw = date.strftime("%d-%m-%Y")
    return _phrase_message(phrase, date)


def _phrase_message(phrase: str, date: dt.date | None) -> str:
    """What a deadline phrase became, in the user's language."""
    if not phrase:
        return str(_("Vul eerst de deadline in woorden in, bijvoorbeeld “voor de zomer”."))
    if date is None:
        return str(
            _(
                "“%(phrase)s” noemt geen periode die het register kan omrekenen; "
                "vul de datum zelf in.",
                phrase=phrase,
            )
        )
    return str(_("“%(phrase)s” wordt %(long_date)s.", phrase=phrase, long_date=long_date(date)))


def _phrase(form: CommitmentForm | DeadlineForm) -> str | None:
    return (form.deadline_phrase.data or "").strip() or None


def _commitment_form(
    form: CommitmentForm, commitment: Commitment | None, preview: str | None
) -> ResponseReturnValue:
    """The record or edit form again; a preview of the deadline is not a failed submission."""
    return render_form(
        "clerk/commitment_form.html",
        status=200 if preview else None,
        form=form,
        commitment=commitment,
        preview=preview,
    )


def _saved(commitment: Commitment, message: str) -> ResponseReturnValue:
    """One commit per request, then back to the promise with a word of what happened."""
    db.session.commit()
    flash(message, "info")
    return redirect(url_for("public.commitment_detail", number=commitment.number))


@bp.route("/toezeggingen/nieuw", methods=["GET", "POST"])
def new_commitment() -> ResponseReturnValue:
    form = CommitmentForm()
    _fill_choices(form, _selected_ministry_id(form))
    if request.method == "GET":
        user: User = current_user
        form.ministry.data = user.ministry_id or (
            int(form.ministry.choices[0].value) if form.ministry.choices else 0
        )
        form.owner.data = user.id
    if not form.ministry.choices:
        abort(403, description=_("Uw account hoort bij geen ministerie; vraag de beheerder."))
    preview = None
    if request.method == "POST" and form.preview.data:
        form.validate()
        preview = _preview_message(form, form.made_on.data)
    elif form.validate_on_submit():
        values = _form_values(form, None)
        if values is not None:
            commitment = services.create_commitment(
                **values,
                deadline=_deadline_from_form(form, form.made_on.data),
                deadline_phrase=_phrase(form),
                actor=current_user,
                note=(form.note.data or "").strip() or None,
            )
            return _saved(
                commitment, _("Toezegging %(number)s is vastgelegd.", number=commitment.number)
            )
    return _commitment_form(form, None, preview)


def _prefill(form: CommitmentForm, commitment: Commitment) -> None:
    form.text.data = commitment.text
    form.title.data = commitment.title
    form.made_on.data = commitment.made_on
    form.ministry.data = commitment.ministry_id
    form.source.data = (
        commitment.source_document.kamerstuk_label if commitment.source_document else ""
    )
    form.activity.data = commitment.activity_id or 0
    form.responsible_official.data = commitment.responsible_official_id or 0
    form.owner.data = commitment.owner_id or 0
    form.requested_by.data = commitment.requested_by
    form.committee.data = commitment.committee_id or 0
    form.deadline_phrase.data = commitment.deadline_phrase
    form.deadline.data = commitment.deadline
    if permissions.can_see_internal_note(current_user, commitment):
        form.internal_note.data = commitment.internal_note
    form.version.data = str(commitment.version)


@bp.route("/toezeggingen/<number>/bewerken", methods=["GET", "POST"])
def edit_commitment(number: str) -> ResponseReturnValue:
    commitment = _editable(number)
    form = CommitmentForm()
    _fill_choices(
        form, _selected_ministry_id(form) if request.method == "POST" else commitment.ministry_id
    )
    if request.method == "GET":
        _prefill(form, commitment)
    preview = None
    if request.method == "POST" and form.preview.data:
        form.validate()
        preview = _preview_message(form, form.made_on.data)
    elif form.validate_on_submit():
        values = _form_values(form, commitment)
        if values is not None:
            values.update(
                deadline=_deadline_from_form(form, form.made_on.data),
                deadline_phrase=_phrase(form),
            )
            try:
                services.update_commitment(
                    commitment,
                    values,
                    actor=current_user,
                    note=(form.note.data or "").strip() or None,
                    expected_version=parse_id(form.version.data) or 0,
                )
            except services.StaleCommitmentError:
                db.session.rollback()
                return _conflict(form, _editable(number))
            return _saved(
                commitment, _("Toezegging %(number)s is bijgewerkt.", number=commitment.number)
            )
    return _commitment_form(form, commitment, preview)


def _conflict(form: CommitmentForm, current: Commitment) -> ResponseReturnValue:
    """409: someone saved first. Show both versions; the form keeps the clerk's input."""
    theirs = {
        "title": current.title,
        "text": current.text,
        "made_on": long_date(current.made_on),
        "requested_by": current.requested_by or "",
        "deadline_phrase": current.deadline_phrase or "",
        "deadline": long_date(current.deadline),
        "source_document": current.source_document.kamerstuk_label
        if current.source_document
        else "",
    }
    mine = {
        "title": form.title.data or "",
        "text": " ".join((form.text.data or "").split()),
        "made_on": long_date(form.made_on.data),
        "requested_by": form.requested_by.data or "",
        "deadline_phrase": form.deadline_phrase.data or "",
        "deadline": long_date(form.deadline.data),
        "source_document": form.source.data or "",
    }
    rows = [
        (FIELD_LABELS[field], theirs[field], mine[field], theirs[field] != mine[field])
        for field in theirs
    ]
    form.version.data = str(current.version)
    return render_template(
        "clerk/conflict.html", form=form, commitment=current, rows=rows, preview=None
    ), 409


# Status, deadline, fulfilment


def _stale_response(commitment: Commitment, template: str, form: Any) -> ResponseReturnValue:
    db.session.rollback()
    current = _editable(commitment.number)
    form.version.data = current.version
    message = _(
        "Iemand anders heeft deze toezegging intussen gewijzigd. Bekijk de huidige stand "
        "hieronder en sla opnieuw op als uw wijziging nog nodig is."
    )
    return render_template(template, form=form, commitment=current, conflict=message), 409


@bp.route("/toezeggingen/<number>/status", methods=["GET", "POST"])
def change_status(number: str) -> ResponseReturnValue:
    commitment = _editable(number)
    form = StatusForm()
    if request.method == "GET":
        form.status.data = commitment.status.value
        form.kamer_status.data = commitment.kamer_status
        form.version.data = commitment.version
    if form.validate_on_submit():
        try:
            services.change_status(
                commitment,
                CommitmentStatus(form.status.data),
                note=form.note.data or "",
                actor=current_user,
                kamer_status=(form.kamer_status.data or "").strip() or None,
                expected_version=form.version.data,
            )
        except services.StaleCommitmentError:
            return _stale_response(commitment, "clerk/status_form.html", form)
        return _saved(
            commitment,
            _(
                "De status van %(number)s is nu %(label)s.",
                number=commitment.number,
                label=commitment.status.label,
            ),
        )
    return render_form("clerk/status_form.html", form=form, commitment=commitment)


@bp.route("/toezeggingen/<number>/deadline", methods=["GET", "POST"])
def change_deadline(number: str) -> ResponseReturnValue:
    commitment = _editable(number)
    form = DeadlineForm()
    if request.method == "GET":
        form.deadline_phrase.data = commitment.deadline_phrase
        form.deadline.data = commitment.deadline
        form.version.data = commitment.version
    if form.validate_on_submit():
        deadline = _deadline_from_form(form, today())
        if deadline is None and form.deadline_phrase.data:
            form.deadline.errors = [
                _(
                    "Deze woorden noemen geen periode die het register kan omrekenen; "
                    "vul de datum in."
                )
            ]
        else:
            try:
                services.change_deadline(
                    commitment,
                    deadline,
                    form.deadline_phrase.data,
                    actor=current_user,
                    note=form.note.data,
                    expected_version=form.version.data,
                )
            except services.StaleCommitmentError:
                return _stale_response(commitment, "clerk/deadline_form.html", form)
            return _saved(
                commitment, _("De deadline van %(number)s is gewijzigd.", number=commitment.number)
            )
    return render_form("clerk/deadline_form.html", form=form, commitment=commitment)


@bp.route("/toezeggingen/<number>/voldaan", methods=["GET", "POST"])
def fulfil(number: str) -> ResponseReturnValue:
    commitment = _editable(number)
    if not commitment.status.is_outstanding:
        flash(
            _(
                "%(number)s is %(status)s: er valt niets meer te melden. Zet de status terug op "
                "openstaand als er toch nog iets moet gebeuren.",
                number=commitment.number,
                status=commitment.status.label.lower(),
            ),
            "info",
        )
        return redirect(url_for("public.commitment_detail", number=number))
    form = FulfilForm()
    if request.method == "GET":
        form.version.data = commitment.version
    if form.validate_on_submit():
        document = services.find_document(form.document.data or "")
        if document is None and not form.document_title.data:
            form.document_title.errors = [
                _("Deze brief staat nog niet in het register: vul de titel en datum in.")
            ]
        else:
            try:
                if document is None:
                    document = services.register_document(
                        form.document.data or "",
                        title=form.document_title.data or "",
                        date=form.document_date.data,
                    )
                services.mark_fulfilled(
                    commitment,
                    document,
                    fulfilled_on=form.fulfilled_on.data,
                    partially=form.partially.data,
                    actor=current_user,
                    note=form.note.data,
                    expected_version=form.version.data,
                )
            except services.StaleCommitmentError:
                return _stale_response(commitment, "clerk/fulfil_form.html", form)
            except services.CommitmentRuleError as error:
                db.session.rollback()
                commitment = _editable(number)
                form.fulfilled_on.errors = [str(error)]
            else:
                return _saved(
                    commitment,
                    _(
                        "%(number)s is %(status)s.",
                        number=commitment.number,
                        status=commitment.status.label.lower(),
                    ),
                )
    return render_form("clerk/fulfil_form.html", form=form, commitment=commitment)


@bp.get("/deadline")
def deadline_preview() -> ResponseReturnValue:
    """The date a phrase stands for, for the live preview next to the form."""
    phrase = request.args.get("phrase", "").strip()
    reference = today()
    made_on = request.args.get("made_on", "").strip()
    if made_on:
        try:
            reference = parse_date(made_on)
        except ValueError as error:
            return jsonify(error=str(error)), 400
    date = _resolve_phrase(phrase, reference)
    return jsonify(
        phrase=phrase,
        deadline=date.isoformat() if date else None,
        label=long_date(date) if date else None,
        message=_phrase_message(phrase, date) if phrase else "",
    )
