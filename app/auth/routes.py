"""Logging in and out, and the admin's screens for accounts."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth import bp, queries, services
from app.auth.decorators import admin_required, login_required
from app.auth.forms import AuditFilterForm, LoginForm, SetPasswordForm, UserForm
from app.auth.models import AuditKind, Role, User
from app.auth.signals import password_link_made
from app.extensions import db, login_manager
from app.formatting import spreadsheet_text, start_of_day
from app.forms import choices, render_form
from app.register import queries as register_queries
from app.register.models import Ministry
from app.urls import absolute_url

#: How long an invitation or password link stays valid.
PASSWORD_LINK_MAX_AGE = 7 * 24 * 3600


def load_user(user_id: str) -> User | None:
    """``<id>:<session token>``; a cookie from before logout or deactivation matches nothing."""
    identifier, _, token = user_id.partition(":")
    if not identifier.isdigit() or not token:
        return None
    user = db.session.get(User, int(identifier))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


login_manager.user_loader(load_user)


def _same_site_path(target: str | None) -> str | None:
    """``target`` as a path on this site, or None.

    Browsers drop tabs and newlines and read a backslash as a slash, so ``/%09/evil.com`` would
    lead to ``//evil.com``: any such character refuses the target before it is parsed.
    """
    if not target or any(char.isspace() or char == "\\" or ord(char) < 32 for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, parts.fragment))


@bp.route("/inloggen", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    after_login = _same_site_path(request.args.get("next")) or url_for("clerk.dashboard")
    if current_user.is_authenticated:
        return redirect(after_login)
    form = LoginForm()
    error = None
    status: int | None = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(
                form.email.data or "", form.password.data or "", request.remote_addr or "onbekend"
            )
        except services.LoginThrottled as throttled:
            error, status = throttled.message, 429
        except services.InvalidCredentials as invalid:
            error, status = invalid.message, 401
        else:
            login_user(user)
            db.session.commit()
            return redirect(after_login)
        db.session.commit()  # keep the failed attempt: throttling counts it
    return render_form("auth/login.html", status=status, form=form, error=error)


@bp.post("/uitloggen")
@login_required
def logout() -> ResponseReturnValue:
    services.log_out(current_user)
    db.session.commit()
    logout_user()
    flash(_("U bent uitgelogd."), "info")
    return redirect(url_for("public.overview"))


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="wachtwoord-instellen")


def password_link(user: User) -> str:
    """A link with which ``user`` sets a password; it stops working once used."""
    token = _serializer().dumps({"user": user.id, "session": user.session_token})
    return absolute_url("auth.set_password", token=token)


@bp.route("/wachtwoord/<token>", methods=["GET", "POST"])
def set_password(token: str) -> ResponseReturnValue:
    try:
        data = _serializer().loads(token, max_age=PASSWORD_LINK_MAX_AGE)
    except SignatureExpired:
        return render_template("auth/link_invalid.html", reason=_("De link is verlopen.")), 400
    except BadSignature:
        return render_template("auth/link_invalid.html", reason=_("De link is ongeldig.")), 400
    user = db.session.get(User, data.get("user"))
    if user is None or not user.active or user.session_token != data.get("session"):
        return render_template("auth/link_invalid.html", reason=_("De link is al gebruikt.")), 400
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(user, form.password.data or "")
        except services.AccountError as error:
            form.password.errors = [*form.password.errors, str(error)]
        else:
            db.session.commit()
            flash(_("Uw wachtwoord is ingesteld. U kunt nu inloggen."), "info")
            return redirect(url_for("auth.login"))
    return render_form("auth/set_password.html", form=form, user=user)


def _ministry_choices() -> list[tuple[str, str]]:
    ministries = register_queries.ministries_by_name()
    return choices([("", _("— geen —"))] + [(m.id, m.name) for m in ministries])


@bp.get("/gebruikers")
@admin_required
def users() -> ResponseReturnValue:
    return render_template("auth/users.html", users=queries.users_for_admin())


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@admin_required
def invite_user() -> ResponseReturnValue:
    form = UserForm()
    form.ministry.choices = _ministry_choices()
    if form.validate_on_submit():
        ministry = db.session.get(Ministry, int(form.ministry.data)) if form.ministry.data else None
        try:
            user = services.create_user(
                email=form.email.data or "",
                name=form.name.data or "",
                role=Role(form.role.data),
                ministry=ministry,
                actor=current_user,
            )
        except services.AccountFieldError as error:
            field = getattr(form, error.field)
            field.errors = [*field.errors, str(error)]
        else:
            link = password_link(user)
            password_link_made.send(user, link=link, invited=True, actor=current_user)
            db.session.commit()
            return render_template("auth/invited.html", user=user, link=link, invited=True)
    return render_form("auth/user_form.html", form=form, user=None)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404, description=_("Onbekende gebruiker."))
    form = UserForm(obj=user if request.method == "GET" else None)
    form.ministry.choices = _ministry_choices()
    if request.method == "GET":
        form.role.data = user.role.value
        form.ministry.data = str(user.ministry_id or "")
    if form.validate_on_submit():
        try:
            services.update_user(
                user,
                name=form.name.data or "",
                role=Role(form.role.data),
                ministry_id=int(form.ministry.data) if form.ministry.data else None,
                active=form.active.data,
                actor=current_user,
            )
        except services.AccountFieldError as error:
            getattr(form, error.field).errors = [str(error)]
        else:
            db.session.commit()
            flash(_("De gegevens van %(name)s zijn opgeslagen.", name=user.name), "info")
            return redirect(url_for("auth.users"))
    return render_form("auth/user_form.html", form=form, user=user)


@bp.post("/gebruikers/<int:user_id>/wachtwoordlink")
@admin_required
def reset_link(user_id: int) -> ResponseReturnValue:
    user = db.session.get(User, user_id) or abort(404, description=_("Onbekende gebruiker."))
    services.new_password_link(user, actor=current_user)
    link = password_link(user)
    password_link_made.send(user, link=link, invited=False, actor=current_user)
    db.session.commit()
    return render_template("auth/invited.html", user=user, link=link, invited=False)


#: Audit entries per page.
AUDIT_PER_PAGE = 50


def _audit_filters(form: AuditFilterForm) -> dict[str, Any]:
    """The query's arguments from a validated filter form."""
    return {
        "kind": AuditKind(form.kind.data) if form.kind.data else None,
        "email": form.email.data or "",
        "since": start_of_day(form.since.data) if form.since.data else None,
        "until": start_of_day(form.until.data + dt.timedelta(days=1)) if form.until.data else None,
    }


@bp.get("/audit")
@admin_required
def audit() -> ResponseReturnValue:
    """The audit log: logins, failures, logouts and account changes, newest first."""
    form = AuditFilterForm(request.args)
    valid = form.validate()
    statement = queries.audit_log(**_audit_filters(form)) if valid else queries.audit_log()
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 1_000_000)
    pagination = db.paginate(statement, page=page, per_page=AUDIT_PER_PAGE, error_out=False)
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template("auth/audit.html", form=form, pagination=pagination, query=query), (
        200 if valid else 400
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv() -> ResponseReturnValue:
    """The audit log with the same filters, as CSV (UTF-8 with BOM, for Excel)."""
    form = AuditFilterForm(request.args)
    if not form.validate():
        abort(400, description=" ".join(str(e) for errors in form.errors.values() for e in errors))
    statement = queries.audit_log(**_audit_filters(form))

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(["tijdstip", "soort", "door", "account", "adres", "toelichting"])
        yield "\ufeff" + buffer.getvalue()
        for event in db.session.scalars(statement.execution_options(yield_per=500)):
            buffer.seek(0)
            buffer.truncate()
            writer.writerow(
                [
                    event.occurred_at.isoformat(),
                    event.kind.label,
                    spreadsheet_text(event.actor_name),
                    spreadsheet_text(event.subject_email),
                    event.ip_address or "",
                    spreadsheet_text(event.detail or ""),
                ]
            )
            yield buffer.getvalue()

    response = Response(stream_with_context(lines()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="auditlog.csv"'
    return response
