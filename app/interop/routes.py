"""/beheer/export and /beheer/import: the register as a file, and promises from a spreadsheet,
for coordinators and admins (DESIGN §13)."""

from __future__ import annotations

import csv
import io
import tempfile

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from openpyxl import Workbook
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth import permissions
from app.auth.decorators import login_required
from app.auth.models import Role
from app.extensions import db, login_manager
from app.forms import render_form
from app.interop import bp, uploads
from app.interop.exporting import EXPORT_FORMATS, write_export
from app.interop.forms import SheetConfirmForm, SheetUploadForm
from app.interop.sheetimport import (
    SheetPlan,
    UnreadableSheet,
    apply_plan,
    plan_sheet,
    read_rows,
)
from app.interop.sheets import HEADINGS, SHEET_COLUMNS, TooManyRows


def _coordinators_only() -> None:
    if current_user.role is Role.CLERK:
        abort(403, description=_("Alleen coördinatoren en beheerders mogen dit."))


@bp.get("/export")
@login_required
def export_page() -> ResponseReturnValue:
    _coordinators_only()
    return render_template("interop/export.html", columns=SHEET_COLUMNS)


@bp.get("/export/toezeggingen.<extension>")
@login_required
def export_file(extension: str) -> ResponseReturnValue:
    _coordinators_only()
    chosen = {suffix: name for name, (suffix, _type) in EXPORT_FORMATS.items()}.get(extension)
    if chosen is None:
        abort(404, description=_("Dit formaat kent het register niet."))
    target = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it
    try:
        write_export(chosen, target)
    except TooManyRows:
        target.close()
        abort(413, description=_("Te veel toezeggingen voor één Excel-blad; kies csv."))
    target.seek(0)
    return send_file(
        target,
        mimetype=EXPORT_FORMATS[chosen][1],
        as_attachment=True,
        download_name=f"toezeggingen-{chosen}.{extension}",
    )


#: The example row of the template.
TEMPLATE_EXAMPLE = [
    "",
    "",
    "Rapportage over de voortgang",
    "Ik zal uw Kamer voor de zomer informeren over de voortgang.",
    "11-4-2019",
    "JenV",
    "",
    "",
    "",
    "",
    "",
    "voor de zomer",
    "Openstaand",
    "",
    "",
    "",
    "",
    "",
    "",
]


def _plan(data: bytes, filename: str) -> SheetPlan:
    """The sheet checked, also against what this user may record."""
    plan = plan_sheet(read_rows(data, filename))
    for row in plan.rows:
        ministry = row.values.get("ministry")
        if ministry is not None and not permissions.can_create_for(current_user, ministry.id):
            row.errors.append(
                _("U mag geen toezeggingen van %(ministry)s vastleggen.", ministry=ministry.code)
            )
            row.action = ""
    return plan


def _upload_page(form: SheetUploadForm, status: int | None = None) -> ResponseReturnValue:
    return render_form("interop/import.html", form=form, columns=SHEET_COLUMNS, status=status)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(error: RequestEntityTooLarge) -> ResponseReturnValue:
    """A file above MAX_CONTENT_LENGTH: the upload page again, saying what the limit is."""
    if not current_user.is_authenticated:
        to_login: ResponseReturnValue = login_manager.unauthorized()
        return to_login
    form = SheetUploadForm(formdata=None)
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    form.sheet.errors = [
        _(
            "Het bestand is groter dan %(size)s MB; er is niets ingelezen.",
            size=format_decimal(limit // (1024 * 1024)),
        )
    ]
    return _upload_page(form, status=413)


@bp.route("/import", methods=["GET", "POST"])
@login_required
def import_sheet() -> ResponseReturnValue:
    _coordinators_only()
    form = SheetUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    upload = form.sheet.data
    data, filename = upload.read(), upload.filename or ""
    try:
        plan = _plan(data, filename)
    except UnreadableSheet as error:
        form.sheet.errors.append(str(error))
        return _upload_page(form)
    confirm = None  # a sheet with errors, or one that changes nothing, has nothing to confirm
    if plan.ok and plan.changes_anything:
        confirm = SheetConfirmForm(formdata=None)
        confirm.token.data = uploads.keep(current_user.id, data, filename)
    return render_template(
        "interop/preview.html", plan=plan, form=SheetUploadForm(formdata=None), confirm=confirm
    ), (200 if plan.ok else 400)


@bp.post("/import/bevestigen")
@login_required
def confirm_import() -> ResponseReturnValue:
    _coordinators_only()
    confirm = SheetConfirmForm()
    kept = uploads.take(current_user.id, confirm.token.data or "") if confirm.validate() else None
    if kept is None:
        form = SheetUploadForm(formdata=None)
        form.sheet.errors = [_("Dit blad is al ingelezen of verlopen; kies het opnieuw.")]
        return _upload_page(form, status=400)
    plan = _plan(*kept)
    if not plan.ok:  # the register changed since the preview
        return render_template(
            "interop/preview.html", plan=plan, form=SheetUploadForm(formdata=None), confirm=None
        ), 400
    apply_plan(plan, actor=current_user)
    db.session.commit()
    uploads.forget(current_user.id, confirm.token.data or "")
    flash(_("Ingelezen: %(summary)s", summary=plan.summary()), "success")
    return redirect(url_for("interop.import_sheet"))


@bp.get("/import/sjabloon.<extension>")
@login_required
def sheet_template(extension: str) -> ResponseReturnValue:
    """The empty sheet with its headings and one example row."""
    if extension == "csv":
        text = io.StringIO()
        text.write("\ufeff")
        csv.writer(text, lineterminator="\r\n").writerows([HEADINGS, TEMPLATE_EXAMPLE])
        body = io.BytesIO(text.getvalue().encode("utf-8"))
        mimetype = EXPORT_FORMATS["csv"][1]
    elif extension == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "Toezeggingen"
        sheet.append(HEADINGS)
        sheet.append(TEMPLATE_EXAMPLE)
        body = io.BytesIO()
        workbook.save(body)
        body.seek(0)
        mimetype = EXPORT_FORMATS["xlsx"][1]
    else:
        abort(404, description=_("Dit formaat kent het register niet."))
    return send_file(
        body,
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"sjabloon-toezeggingen.{extension}",
    )
