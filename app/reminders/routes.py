"""Following promises (public), the outbox (admins) and the printable rappel (coordinators)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import admin_required, login_required
from app.auth.models import Role
from app.dbtypes import utcnow
from app.extensions import changes_on_get, csrf, db
from app.formatting import today
from app.inputs import parse_id
from app.register import queries
from app.register.models import Commitment, Committee, Ministry
from app.reminders import alerts, bp, following, mailer, rappel
from app.reminders import queries as outbox_queries
from app.reminders.forms import FollowForm
from app.reminders.models import MessageState, OutboxMessage


def _target(form: FollowForm) -> tuple[dict[str, Any], str, str]:
    """What the form asks to follow, from its one choice ``wat`` (``kind:value``), or from the
    separate ``target`` and ``value`` of pages rendered before: the service's keyword, the
    choice as ``kind:value`` and its name for the reader."""
    kind, separator, value = (form.wat.data or "").partition(":")
    if not separator:
        kind, value = form.target.data or "", form.value.data or ""
    found: Commitment | Ministry | Committee | None
    if kind == "toezegging":
        found = queries.commitment_by_number(value)
        key = "commitment"
    elif kind == "ministerie":
        found = queries.ministry_by_code(value)
        key = "ministry"
    elif kind == "commissie" and parse_id(value) is not None:
        found = db.session.get(Committee, parse_id(value))
        key = "committee"
    else:
        found, key = None, ""
    if found is None:
        abort(404, description=_("Dit kan niet gevolgd worden."))
    label = f"{found.number} {found.title}" if isinstance(found, Commitment) else found.name
    return {key: found}, f"{kind}:{value}", label


@bp.post("/volgen")
def follow() -> ResponseReturnValue:
    form = FollowForm()
    target, what, label = _target(form)
    back = (
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("public.commitment_list")
    )

    def again(status: int) -> ResponseReturnValue:
        """The form once more, with what was typed and the error beside the address."""
        return render_template(
            "reminders/follow_form.html", form=form, what=what, label=label, back=back
        ), status

    if not form.validate():
        return again(400)
    try:
        follower, _queued = following.follow(
            form.email.data or "", client_address=request.remote_addr, **target
        )
    except following.FollowError as error:
        form.email.errors = [*form.email.errors, str(error)]
        return again(error.status)
    db.session.commit()
    if follower.confirmed_at is not None:
        flash(_("U volgt dit al."), "info")
    else:
        flash(
            _(
                "We hebben een e-mail gestuurd naar %(email)s. Klik op de link daarin om het "
                "volgen te bevestigen.",
                email=follower.email,
            ),
            "info",
        )
    return redirect(back)


@bp.get("/volgen/bevestigen/<token>")
@changes_on_get
def confirm(token: str) -> ResponseReturnValue:
    follower = following.follower_from_token(token, "confirm", following.CONFIRM_MAX_AGE)
    if follower is None:
        return render_template(
            "reminders/follow_result.html",
            ok=False,
            title=_("Deze link werkt niet"),
            message=_("De link is verlopen of ongeldig. Vraag opnieuw om te volgen."),
        ), 400
    following.confirm(follower)
    what = following.describe(follower)
    db.session.commit()
    return render_template(
        "reminders/follow_result.html",
        ok=True,
        title=_("Bevestigd"),
        message=_(
            "U volgt nu %(what)s. Bij elke wijziging van status of deadline krijgt u een e-mail.",
            what=what,
        ),
    )


@bp.get("/volgen/afmelden/<token>")
def unsubscribe_page(token: str) -> ResponseReturnValue:
    """The link in the e-mail: a page with one button. Opening a link changes nothing, so a
    mail scanner that follows every link cannot unsubscribe anyone."""
    follower = following.follower_from_token(token, "unsubscribe")
    if follower is None:
        return _unsubscribed(None)
    return render_template(
        "reminders/unsubscribe.html", what=following.describe(follower), token=token
    )


@bp.post("/volgen/afmelden/<token>")
def unsubscribe(token: str) -> ResponseReturnValue:
    """The button, and the one-click unsubscribe of RFC 8058: the mail client POSTs
    ``List-Unsubscribe=One-Click`` to the List-Unsubscribe address, without a form or CSRF
    token; the signed token in the address is the proof."""
    follower = following.follower_from_token(token, "unsubscribe")
    if follower is None:
        return _unsubscribed(None)
    what = following.describe(follower)
    following.unsubscribe(follower)
    db.session.commit()
    return _unsubscribed(what)


def _unsubscribed(what: str | None) -> ResponseReturnValue:
    return render_template(
        "reminders/follow_result.html",
        ok=True,
        title=_("Afgemeld"),
        message=_("U volgt %(what)s niet meer.", what=what)
        if what
        else _("U ontvangt hierover geen berichten meer."),
    )


# One-click unsubscribe (RFC 8058): mail clients POST without a form, so without a token.
csrf.exempt(unsubscribe)


@bp.get("/beheer/outbox")
@admin_required
def outbox() -> ResponseReturnValue:
    heartbeat = outbox_queries.scheduler_heartbeat()
    stale_minutes = float(current_app.config["SCHEDULER_STALE_MINUTES"])
    return render_template(
        "reminders/outbox.html",
        counts={state.value: total for state, total in outbox_queries.outbox_counts().items()},
        heartbeat=heartbeat,
        heartbeat_stale=heartbeat is not None
        and utcnow() - heartbeat.beat_at > dt.timedelta(minutes=stale_minutes),
        stale_minutes=f"{stale_minutes:g}",
        last_planning_run=outbox_queries.last_planning_run(),
        waiting=outbox_queries.unsent_messages(),
        sent=outbox_queries.recently_sent(),
        retry_days=f"{current_app.config['MAIL_RETRY_DAYS']:g}",
    )


def _message(message_id: int) -> OutboxMessage:
    """The outbox message, or 404 (also for an id no database column can hold)."""
    checked = parse_id(message_id)
    message = db.session.get(OutboxMessage, checked) if checked is not None else None
    if message is None:
        abort(404, description=_("Dit bericht bestaat niet."))
    return message


@bp.post("/beheer/outbox/<int:message_id>/opnieuw")
@admin_required
def resend(message_id: int) -> ResponseReturnValue:
    message = _message(message_id)
    if message.state not in {MessageState.DEAD, MessageState.FAILED}:
        flash(_("Alleen mislukte of opgegeven berichten kunnen opnieuw."), "error")
    else:
        mailer.resend(message)
        db.session.commit()
        flash(
            _("Het bericht aan %(email)s gaat opnieuw de deur uit.", email=message.recipient_email),
            "info",
        )
    return redirect(url_for("reminders.outbox"))


@bp.post("/beheer/outbox/<int:message_id>/terzijde")
@admin_required
def dismiss(message_id: int) -> ResponseReturnValue:
    """Put a dead message aside unsent: it no longer keeps the alert and the banner up."""
    message = _message(message_id)
    if message.state is not MessageState.DEAD:
        flash(_("Alleen opgegeven berichten kunnen terzijde."), "error")
    else:
        mailer.dismiss(message)
        db.session.commit()
        flash(
            _(
                "Het bericht aan %(email)s is terzijde gelegd; het wordt niet verstuurd.",
                email=message.recipient_email,
            ),
            "info",
        )
    return redirect(url_for("reminders.outbox"))


@bp.app_context_processor
def outbox_banner() -> dict[str, Any]:
    """``outbox_trouble()`` for the layout: the outbox's trouble for an admin on a staff page
    (DESIGN §8), else None. A function, so that pages without the banner run no query."""

    def outbox_trouble() -> alerts.OutboxHealth | None:
        if not (
            request.path.startswith("/beheer/")
            and current_user.is_authenticated
            and current_user.role is Role.ADMIN
        ):
            return None
        try:
            found = alerts.health()
        except sa.exc.SQLAlchemyError:
            # An error page after a failed transaction: the banner must not hide the error.
            return None
        return found if found.in_trouble else None

    return {"outbox_trouble": outbox_trouble}


@bp.get("/beheer/rappel")
@login_required
def rappel_page() -> ResponseReturnValue:
    """The printable rappel: a coordinator's own ministry; admins choose one."""
    if current_user.role is Role.CLERK:
        abort(403, description=_("De rappel is voor coördinatoren en beheerders."))
    ministries = queries.ministries_by_code()
    code = request.args.get("ministerie")
    if current_user.role is Role.ADMIN:
        ministry = next((m for m in ministries if m.code == code), None) or (
            ministries[0] if ministries else None
        )
    else:
        ministry = current_user.ministry
    if ministry is None:
        abort(404, description=_("Er is geen ministerie om een rappel voor te maken."))
    return render_template(
        "reminders/rappel.html",
        ministry=ministry,
        ministries=ministries if current_user.role is Role.ADMIN else [],
        commitments=rappel.outstanding_for(ministry.id),
        day=today(),
    )
