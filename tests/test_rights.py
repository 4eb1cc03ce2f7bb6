"""Nobody without an account changes anything; nobody changes another ministry's promises.

Walks the whole URL map, so a new screen cannot forget its check (after flaskr's test that
every clerk URL requires login).
"""

from __future__ import annotations

import pytest

from app.auth.models import Role
from app.extensions import db

#: What must work without logging in: logging in, setting a password from a link, and the
#: public's following of promises (asking, confirming, unsubscribing).
PUBLIC_CLERK_ENDPOINTS = {
    "auth.login",
    "auth.set_password",
    "reminders.follow",
    "reminders.confirm",
    "reminders.unsubscribe",
}


def state_changing_rules(app):
    """(endpoint, rule, method) for every POST/PUT/PATCH/DELETE route of the app."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & {"POST", "PUT", "PATCH", "DELETE"}):
            yield rule.endpoint, rule.rule, method


def fill(rule: str, number: str, user_id: int) -> str:
    """A real URL for a rule: the promise's number, a user, the first reference kind."""
    return (
        rule.replace("<number>", number)
        .replace("<int:user_id>", str(user_id))
        .replace("<token>", "x")
        .replace("<slug>", "ministeries")
        .replace("<int:item_id>", "1")
        .replace("<int:message_id>", "1")
    )


@pytest.fixture
def world(app, create_ministry, create_user, create_commitment):
    jenv = create_ministry(code="JenV")
    bz = create_ministry(code="BZ")
    promise = create_commitment(ministry=jenv)
    jenv_clerk = create_user(ministry=jenv)
    bz_coordinator = create_user(ministry=bz, role=Role.COORDINATOR)
    bz_clerk = create_user(ministry=bz)
    db.session.commit()
    return {
        "promise": promise,
        "jenv_clerk": jenv_clerk,
        "bz_coordinator": bz_coordinator,
        "bz_clerk": bz_clerk,
    }


def test_every_state_changing_route_refuses_anonymous_users(app, client, world):
    checked = 0
    for endpoint, rule, method in state_changing_rules(app):
        if endpoint in PUBLIC_CLERK_ENDPOINTS:
            continue
        url = fill(rule, world["promise"].number, world["jenv_clerk"].id)
        response = client.open(url, method=method, data={"version": "1", "note": "x"})
        assert response.status_code == 302, (endpoint, response.status_code)
        assert response.headers["Location"].startswith("/beheer/inloggen"), endpoint
        checked += 1
    assert checked >= 8


def test_every_clerk_page_requires_login(app, client, world):
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/beheer") or rule.endpoint in PUBLIC_CLERK_ENDPOINTS:
            continue
        if "GET" not in rule.methods:
            continue
        url = fill(rule.rule, world["promise"].number, world["jenv_clerk"].id)
        response = client.get(url)
        assert response.status_code == 302, rule.endpoint
        assert response.headers["Location"].startswith("/beheer/inloggen"), rule.endpoint


@pytest.mark.parametrize("who", ["bz_clerk", "bz_coordinator"])
def test_users_of_another_ministry_cannot_change_a_promise(app, client, auth, world, who):
    auth.login(world[who])
    checked = 0
    for endpoint, rule, method in state_changing_rules(app):
        if "<number>" not in rule:
            continue
        url = fill(rule, world["promise"].number, 0)
        response = client.open(url, method=method, data={"version": "1", "note": "x"})
        assert response.status_code == 403, (endpoint, response.status_code)
        assert "eigen ministerie" in response.get_data(as_text=True)
        checked += 1
    assert checked >= 4
    db.session.expire_all()
    assert world["promise"].version == 1


ADMIN_ENDPOINT_PREFIXES = ("auth.", "clerk.reference_", "reminders.outbox", "reminders.resend")


@pytest.mark.parametrize("who", ["jenv_clerk", "bz_coordinator"])
def test_only_admins_manage_users_and_reference_data(app, client, auth, world, who):
    auth.login(world[who])
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith(ADMIN_ENDPOINT_PREFIXES):
            continue
        if rule.endpoint in PUBLIC_CLERK_ENDPOINTS | {"auth.logout"}:
            continue
        url = fill(rule.rule, "x", world["bz_clerk"].id)
        for method in sorted(rule.methods & {"GET", "POST"}):
            assert client.open(url, method=method).status_code == 403, (rule.endpoint, method)
            checked += 1
    assert checked >= 10


def test_a_clerk_cannot_record_a_promise_for_another_ministry(app, client, auth, world):
    auth.login(world["jenv_clerk"])
    other_ministry = world["bz_clerk"].ministry_id
    response = client.post(
        "/beheer/toezeggingen/nieuw",
        data={
            "text": "Ik zal.",
            "made_on": "11-04-2019",
            "ministry": str(other_ministry),
            "save": "Opslaan",
        },
    )
    assert response.status_code == 400
    assert "Not a valid choice" not in response.get_data(as_text=True)
