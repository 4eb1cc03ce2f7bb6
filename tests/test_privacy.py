"""Private by default: the public reads the minister and the ministry, never the civil servants
who own or record promises (as in the Kamer's own register)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from app.auth.models import Role
from app.extensions import db
from app.register import services
from app.register.models import CommitmentStatus

#: A name that cannot turn up anywhere by accident.
CLERK_NAME = "Xanthippe Quirijnsdochter"
CLERK_EMAIL = "xanthippe.q@minjenv.example"

PUBLIC_URLS = [
    "/",
    "/toezeggingen",
    "/toezeggingen?q=hervestiging",
    "/toezeggingen/TZ-2019-0001",
    "/toezeggingen.csv",
    "/toezeggingen.csv?scheiding=;",
    "/toezeggingen.ics",
    "/toezeggingen.atom",
    "/api/v1/commitments",
    "/api/v1/commitments/TZ-2019-0001",
    "/api/openapi.json",
]


@pytest.fixture
def clerks_promise(create_ministry, create_user, create_commitment, create_document):
    jenv = create_ministry(code="JenV", name="Ministerie van Justitie en Veiligheid")
    clerk = create_user(name=CLERK_NAME, email=CLERK_EMAIL, ministry=jenv, role=Role.COORDINATOR)
    commitment = create_commitment(
        title="Nieuwe hervestigingsmissie",
        text="Een nieuwe hervestigingsmissie is voorzien in de eerste helft van 2019.",
        ministry=jenv,
        owner=clerk,
        deadline=dt.date(2019, 6, 30),
        actor=clerk,
    )
    services.change_deadline(commitment, dt.date(2019, 7, 4), "voor de zomer", actor=clerk)
    services.change_status(
        commitment, CommitmentStatus.PARTIALLY_FULFILLED, note="Eerste deel.", actor=clerk
    )
    services.mark_fulfilled(commitment, create_document(), actor=clerk)
    db.session.commit()
    return clerk


def everything_public(client) -> dict[str, str]:
    pages = {url: client.get(url).get_data(as_text=True) for url in PUBLIC_URLS}
    workbook = client.get("/toezeggingen.xlsx").get_data()
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        pages["/toezeggingen.xlsx"] = " ".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )
    return pages


def test_no_public_page_file_feed_or_answer_names_the_civil_servant(client, clerks_promise):
    for url, body in everything_public(client).items():
        for part in (CLERK_NAME, "Xanthippe", "Quirijnsdochter", CLERK_EMAIL):
            assert part not in body, f"{part!r} in {url}"


def test_the_public_still_sees_the_minister_and_the_ministry(client, clerks_promise):
    detail = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert "Ministerie van Justitie en Veiligheid" in detail
    feed = client.get("/toezeggingen.atom").get_data(as_text=True)
    assert "<name>Ministerie van Justitie en Veiligheid</name>" in feed


def test_staff_see_who_owns_and_who_recorded(client, auth, clerks_promise):
    auth.login(clerks_promise)
    detail = client.get("/toezeggingen/TZ-2019-0001").get_data(as_text=True)
    assert f"<dd>{CLERK_NAME}</dd>" in detail
    assert f"door {CLERK_NAME}" in detail
    owner = client.get("/api/v1/commitments/TZ-2019-0001").get_json()["owner"]
    assert owner == {"name": CLERK_NAME, "email": CLERK_EMAIL}
