"""The review screen: upload a letter, see what it promises and keeps, accept with a click."""

from __future__ import annotations

from typing import Any

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth import permissions
from app.auth import queries as user_queries
from app.auth.decorators import login_required
from app.extensions import db, login_manager
from app.forms import render_form
from app.letters import bp
from app.letters.forms import LetterReviewForm, LetterUploadForm
from app.letters.review import (
    LetterProposals,
    ProposedFulfilment,
    ProposedPromise,
    accept,
    read_proposals,
)
from app.letters.text import UnreadableLetter, read_bytes
from app.register import queries, services
from app.register.models import Ministry, Official
from app.register.recesses import recess_calendar


@bp.before_request
@login_required
def require_login() -> None:
    """Every letter screen needs a logged-in user."""


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file above MAX_CONTENT_LENGTH: the upload page again, saying what the limit is."""
    if not current_user.is_authenticated:
        to_login: ResponseReturnValue = login_manager.unauthorized()
        return to_login
    form = LetterUploadForm(formdata=None)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    form.letter.errors = [
        _("De brief is groter dan %(size)s.", size=file_size(limit))
        if limit
        else _("De brief is te groot.")
    ]
    return render_template("letters/upload.html", form=form), 413


def file_size(size: int) -> str:
    """``25 * 1024 * 1024`` → "25 MB", as people read a size limit."""
    for unit, factor in (("MB", 1024 * 1024), ("kB", 1024)):
        if size >= factor:
            return f"{format_decimal(size / factor, format='#,##0.#')} {unit}"
    return f"{format_decimal(size)} bytes"


@bp.route("/nieuw", methods=["GET", "POST"])
def upload() -> ResponseReturnValue:
    form = LetterUploadForm()
    if not form.validate_on_submit():
        return render_form("letters/upload.html", form=form)
    letter = form.letter.data
    try:
        raw = read_bytes(letter.read(), letter.filename or "")
    except UnreadableLetter as error:
        form.letter.errors.append(str(error))
        return render_form("letters/upload.html", form=form)
    proposals = read_proposals(raw, recess_calendar())
    ministries = _allowed_ministries()
    # The first signatory speaks for the letter: their ministry and themselves by default, when
    # the user may record promises for that ministry; otherwise the first ministry they may.
    ministry = next((m for m in ministries if m.code == proposals.lead_ministry), None)
    official_id = proposals.lead_official_id if ministry else None
    ministry = ministry or (ministries[0] if ministries else None)
    review = LetterReviewForm.for_letter(proposals, ministry.id if ministry else None, official_id)
    _offer(review, proposals, ministries)
    return render_template("letters/review.html", **_page(review, proposals, []))


@bp.post("/accepteren")
def accept_review() -> ResponseReturnValue:
    form = LetterReviewForm()
    proposals = read_proposals(form.text.data or "", recess_calendar())
    ministry = _offer(form, proposals, _allowed_ministries())
    if not form.validate() or ministry is None:
        return render_form("letters/review.html", **_page(form, proposals, []))
    promises = [
        ProposedPromise(
            proposal.sentence,
            entry.form.title.data,
            entry.form.phrase.data or None,
            entry.form.deadline.data,
            entry.form.owner.data,
            entry.form.accept.data,
            entry.form.requested_by.data or None,
        )
        for proposal, entry in zip(proposals.promises, form.promise, strict=True)
    ]
    fulfilments = [
        ProposedFulfilment(
            proposal.sentence,
            entry.form.other.data or entry.form.choice.data or None,
            proposal.kind,
            proposal.meeting_date,
        )
        for proposal, entry in zip(proposals.fulfilments, form.fulfilment, strict=True)
    ]
    official = db.session.get(Official, form.official.data) if form.official.data else None
    letter_date = form.date.data
    assert letter_date is not None  # DataRequired
    try:
        report = accept(
            actor=current_user,
            kamerstuk=form.kamerstuk.data,
            title=form.title.data or "Kamerbrief",
            date=letter_date,
            ministry=ministry,
            official=official,
            promises=promises,
            fulfilments=fulfilments,
            debate=proposals.debate,
            recesses=recess_calendar(),
        )
    except services.CommitmentRuleError as error:
        db.session.rollback()
        return render_form("letters/review.html", **_page(form, proposals, [str(error)]))
    db.session.commit()
    parts = [
        _("Brief %(id)s verwerkt.", id=report.document.kamerstuk_label)
        if report.document.kamerstuk_label
        else _("Brief “%(title)s” verwerkt.", title=report.document.title)
    ]
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
    if report.mentioned:
        parts.append(
            _(
                "Genoemd in de brief (niet voldaan): %(numbers)s.",
                numbers=", ".join(c.number for c in report.mentioned),
            )
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


def _allowed_ministries() -> list[Ministry]:
    """The ministries the user may record promises for."""
    return [
        m for m in queries.ministries_by_name() if permissions.can_create_for(current_user, m.id)
    ]


def _offer(
    form: LetterReviewForm, proposals: LetterProposals, ministries: list[Ministry]
) -> Ministry | None:
    """Give the form its choices; returns the chosen ministry when the user may use it.

    Officials and owners are those of the chosen ministry, or of the first one offered.
    """
    chosen = next((m for m in ministries if m.id == form.ministry.data), None)
    shown = chosen or (ministries[0] if ministries else None)
    shown_id = shown.id if shown else None
    form.offer(
        proposals,
        ministries,
        queries.officials_of(shown_id),
        user_queries.active_users_of(shown_id),
    )
    return chosen


def _page(form: LetterReviewForm, proposals: LetterProposals, errors: list[str]) -> dict[str, Any]:
    """What the review template needs: the form beside the proposals, and every error."""
    return {
        "form": form,
        "proposals": proposals,
        "promises": list(zip(form.promise, proposals.promises, strict=False)),
        "fulfilments": list(zip(form.fulfilment, proposals.fulfilments, strict=False)),
        "errors": form.messages() + errors,
    }
