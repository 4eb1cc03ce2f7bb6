"""The review screen: upload a letter, see what it promises and keeps, accept with a click."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.auth import permissions
from app.auth.models import User
from app.extensions import db
from app.formatting import parse_date, today
from app.letters import bp
from app.letters.extract import read_letter
from app.letters.review import ProposedFulfilment, ProposedPromise, accept, existing_promise
from app.letters.text import UnreadableLetter, read_bytes
from app.register import services
from app.register.models import Document, Ministry, Official
from app.register.recesses import recess_calendar


@bp.before_request
@login_required
def require_login() -> None:
    """Every letter screen needs a logged-in user."""


#: Uploads larger than this are refused (a 300-page PDF is about 5 MB).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass
class Review:
    """Everything the review page shows, from a fresh reading or from the posted form."""

    text: str
    kamerstuk: str
    title: str
    date: str
    ministry_id: int | None
    official_id: int | None
    promises: list[dict[str, Any]] = field(default_factory=list)
    fulfilments: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def segments(self) -> list[tuple[str, str | None, int | None]]:
        """The letter as (text, "promise"/"fulfilment"/None, index) pieces, for highlighting."""
        marks = sorted(
            [(int(p["start"]), int(p["end"]), "promise", i) for i, p in enumerate(self.promises)]
            + [
                (int(f["start"]), int(f["end"]), "fulfilment", i)
                for i, f in enumerate(self.fulfilments)
            ]
        )
        pieces: list[tuple[str, str | None, int | None]] = []
        position = 0
        for start, end, kind, index in marks:
            if start < position:
                continue
            pieces.append((self.text[position:start], None, None))
            pieces.append((self.text[start:end], kind, index))
            position = end
        pieces.append((self.text[position:], None, None))
        return pieces


def _ministry_choices() -> list[Ministry]:
    ministries = db.session.scalars(sa.select(Ministry).order_by(Ministry.name))
    return [m for m in ministries if permissions.can_create_for(current_user, m.id)]


def _render(review: Review, status: int = 200) -> ResponseReturnValue:
    ministries = _ministry_choices()
    ministry_id = review.ministry_id or (ministries[0].id if ministries else None)
    officials = db.session.scalars(
        sa.select(Official).where(Official.ministry_id == ministry_id).order_by(Official.name)
    ).all()
    owners = db.session.scalars(
        sa.select(User)
        .where(User.ministry_id == ministry_id, User.active.is_(True))
        .order_by(User.name)
    ).all()
    return render_template(
        "letters/review.html",
        review=review,
        ministries=ministries,
        officials=officials,
        owners=owners,
        ministry_id=ministry_id,
    ), status


@bp.route("/nieuw", methods=["GET", "POST"])
def upload() -> ResponseReturnValue:
    if request.method == "GET":
        return render_template("letters/upload.html", error=None)
    upload = request.files.get("letter")
    if upload is None or not upload.filename:
        return render_template(
            "letters/upload.html", error=_("Kies een brief om te uploaden.")
        ), 400
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return render_template("letters/upload.html", error=_("De brief is groter dan 20 MB.")), 400
    try:
        raw = read_bytes(data, upload.filename)
    except UnreadableLetter as error:
        return render_template("letters/upload.html", error=str(error)), 400
    reading = read_letter(raw, recess_calendar())
    meta = reading.metadata
    known = services.find_document(meta.kamerstuk_id) if meta.kamerstuk_id else None
    # The first signatory speaks for the letter: their ministry and themselves by default.
    lead = next((s for s in meta.signatories if s.ministry), None)
    ministry = (
        db.session.scalars(sa.select(Ministry).where(Ministry.code == lead.ministry)).first()
        if lead
        else None
    )
    official_id = lead.official_id if lead else None
    review = Review(
        text=reading.letter.text,
        kamerstuk=meta.kamerstuk_id or "",
        title=(known.title if known else _letter_title(meta)),
        date=(meta.date or today()).isoformat(),
        ministry_id=ministry.id if ministry else None,
        official_id=official_id,
    )
    for promise in reading.promises:
        earlier = existing_promise(known, promise.sentence)
        review.promises.append(
            {
                "sentence": promise.sentence,
                "start": promise.start,
                "end": promise.end,
                "title": promise.title,
                "phrase": promise.deadline_phrase or "",
                "deadline": promise.deadline.isoformat() if promise.deadline else "",
                "confidence": promise.confidence,
                "accept": earlier is None and promise.confidence >= 0.5,
                "existing": earlier.number if earlier else "",
                "owner": "",
            }
        )
    for fulfilment in reading.fulfilments:
        best = fulfilment.matches[0]["number"] if fulfilment.matches else ""
        review.fulfilments.append(
            {
                "sentence": fulfilment.sentence,
                "start": fulfilment.start,
                "end": fulfilment.end,
                "matches": fulfilment.matches,
                "choice": best
                if fulfilment.matches and fulfilment.matches[0]["score"] >= 0.6
                else "",
            }
        )
    return _render(review)


def _letter_title(meta: Any) -> str:
    if meta.subject:
        return (
            f"Brief over {meta.subject}"
            if not meta.subject.lower().startswith("brief")
            else meta.subject
        )
    return "Kamerbrief"


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _review_from_form() -> Review:
    form = request.form
    review = Review(
        text=form.get("text", ""),
        kamerstuk=form.get("kamerstuk", "").strip(),
        title=form.get("title", "").strip(),
        date=form.get("date", "").strip(),
        ministry_id=_int(form.get("ministry")),
        official_id=_int(form.get("official")),
    )
    for index in range(_int(form.get("promise_count")) or 0):
        prefix = f"promise-{index}-"
        review.promises.append(
            {
                "sentence": form.get(prefix + "sentence", ""),
                "start": form.get(prefix + "start", 0),
                "end": form.get(prefix + "end", 0),
                "title": form.get(prefix + "title", "").strip(),
                "phrase": form.get(prefix + "phrase", "").strip(),
                "deadline": form.get(prefix + "deadline", "").strip(),
                "confidence": float(form.get(prefix + "confidence", 0) or 0),
                "accept": form.get(prefix + "accept") == "1",
                "existing": form.get(prefix + "existing", ""),
                "owner": form.get(prefix + "owner", ""),
            }
        )
    for index in range(_int(form.get("fulfilment_count")) or 0):
        prefix = f"fulfilment-{index}-"
        matches = [
            {"number": number, "title": title, "score": float(score)}
            for number, title, score in (
                option.split("|", 2) for option in form.getlist(prefix + "option")
            )
        ]
        review.fulfilments.append(
            {
                "sentence": form.get(prefix + "sentence", ""),
                "start": form.get(prefix + "start", 0),
                "end": form.get(prefix + "end", 0),
                "matches": matches,
                "choice": form.get(prefix + "choice", ""),
            }
        )
    return review


@bp.post("/accepteren")
def accept_review() -> ResponseReturnValue:
    review = _review_from_form()
    ministry = db.session.get(Ministry, review.ministry_id or 0)
    try:
        Document.parse_reference(review.kamerstuk)
    except ValueError:
        review.errors.append(_("Schrijf een Kamerstuk als 32 735, nr. 243 of kst-32735-243."))
    try:
        letter_date = parse_date(review.date)
    except ValueError as error:
        review.errors.append(str(error))
        letter_date = today()
    if ministry is None or not permissions.can_create_for(current_user, ministry.id):
        review.errors.append(_("Kies een ministerie waarvoor u toezeggingen mag vastleggen."))
    promises = []
    for index, proposal in enumerate(review.promises):
        deadline: dt.date | None = None
        if proposal["deadline"]:
            try:
                deadline = parse_date(proposal["deadline"])
            except ValueError as error:
                review.errors.append(_("Toezegging %(n)s: %(error)s", n=index + 1, error=error))
        promises.append(
            ProposedPromise(
                proposal["sentence"],
                proposal["title"],
                proposal["phrase"] or None,
                deadline,
                _int(proposal["owner"]),
                proposal["accept"],
            )
        )
    if review.errors or ministry is None:
        return _render(review, 400)
    fulfilments = [
        ProposedFulfilment(f["sentence"], f["choice"] or None) for f in review.fulfilments
    ]
    official = db.session.get(Official, review.official_id or 0)
    try:
        report = accept(
            actor=current_user,
            kamerstuk=review.kamerstuk,
            title=review.title or "Kamerbrief",
            date=letter_date,
            ministry=ministry,
            official=official if official and official.ministry_id == ministry.id else None,
            promises=promises,
            fulfilments=fulfilments,
        )
    except services.CommitmentRuleError as error:
        db.session.rollback()
        review.errors.append(str(error))
        return _render(review, 400)
    db.session.commit()
    parts = [_("Brief %(id)s verwerkt.", id=report.document.kamerstuk_label)]
    if report.created:
        parts.append(
            _(
                "Nieuwe toezeggingen: %(numbers)s.",
                numbers=", ".join(c.number for c in report.created),
            )
        )
    if report.fulfilled:
        parts.append(
            _("Voldaan: %(numbers)s.", numbers=", ".join(c.number for c in report.fulfilled))
        )
    if report.already_there:
        parts.append(
            _(
                "Stond al in het register: %(numbers)s.",
                numbers=", ".join(c.number for c in report.already_there),
            )
        )
    flash(" ".join(parts), "info")
    return redirect(url_for("clerk.dashboard"))
