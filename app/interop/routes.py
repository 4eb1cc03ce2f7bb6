"""/beheer/export: the register as a file, for coordinators and admins (DESIGN §13)."""

from __future__ import annotations

import tempfile

from flask import abort, render_template, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.decorators import login_required
from app.auth.models import Role
from app.interop import bp
from app.interop.exporting import EXPORT_FORMATS, write_export
from app.interop.sheets import SHEET_COLUMNS, TooManyRows


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
