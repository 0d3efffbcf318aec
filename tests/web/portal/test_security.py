"""Sessions, CSRF, the sign-in rate limit, cookies and security headers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from tests.web.portal.conftest import PASSWORDS, config, csrf, sign_in

from dossier.http.portal import accounts, sessions, store


def test_sign_in_without_the_forms_token_is_refused(app: TestClient) -> None:
    app.get("/portal/sign-in")
    email = "marie@acme.example"
    answer = app.post("/portal/sign-in", data={"email": email, "password": PASSWORDS[email]})
    assert answer.status_code == 403
    forged = app.post(
        "/portal/sign-in",
        data={"email": "marie@acme.example", "password": PASSWORDS["marie@acme.example"], "csrf": "x" * 43},
    )
    assert forged.status_code == 403 and sessions.COOKIE not in app.cookies


def test_forms_of_a_session_need_its_token(app: TestClient) -> None:
    acme = sign_in(app, "marie@acme.example")
    files = {"files": ("c.csv", b"reference\n", "text/csv")}
    assert acme.post("/portal/hand-in", files=files).status_code == 403
    assert acme.post("/portal/hand-in", files=files, data={"csrf": "forged"}).status_code == 403
    assert acme.post("/portal/sign-out", data={}).status_code == 403
    other = sign_in(TestClient(app.app, base_url="http://127.0.0.1"), "jan@zon.example")
    their_token = csrf(other.get("/portal/hand-in").text)
    assert acme.post("/portal/sign-out", data={"csrf": their_token}).status_code == 403  # bound to the session
    token = csrf(acme.get("/portal/hand-in").text)
    out = acme.post("/portal/sign-out", data={"csrf": token}, follow_redirects=False)
    assert out.status_code == 303


def test_sign_in_is_rate_limited_per_email(app: TestClient) -> None:
    email = "marie@acme.example"
    for _ in range(3):  # sign_in_attempts: 3
        page = app.get("/portal/sign-in")
        wrong = app.post("/portal/sign-in", data={"email": email, "password": "nope", "csrf": csrf(page.text)})
        assert wrong.status_code == 401
    page = app.get("/portal/sign-in")
    right = app.post("/portal/sign-in", data={"email": email, "password": PASSWORDS[email], "csrf": csrf(page.text)},
                     follow_redirects=False)
    assert right.status_code == 429 and sessions.COOKIE not in right.cookies  # even the right password, for now


def test_an_unknown_email_is_answered_as_a_wrong_password(app: TestClient) -> None:
    page = app.get("/portal/sign-in")
    unknown = app.post("/portal/sign-in", data={"email": "x@y.example", "password": "p", "csrf": csrf(page.text)})
    page = app.get("/portal/sign-in")
    wrong = app.post("/portal/sign-in", data={"email": "marie@acme.example", "password": "p", "csrf": csrf(page.text)})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.text.count("is wrong") == wrong.text.count("is wrong") == 1


def test_cookies_are_secure_httponly_and_samesite(portfolio: Path, monkeypatch: pytest.MonkeyPatch,
                                                  tmp_path: Path) -> None:
    from dossier.http.app import app as the_app

    secure = tmp_path / "portal.yaml"
    secure.write_text(yaml.safe_dump(config(secure=True)), encoding="utf-8")
    monkeypatch.setenv("DOSSIER_PORTFOLIO", str(portfolio))
    monkeypatch.setenv("DOSSIER_PORTAL", str(secure))
    client = TestClient(the_app, base_url="https://127.0.0.1")
    (portfolio / "_dossier" / "portal.sqlite").unlink(missing_ok=True)
    page = client.get("/portal/sign-in")
    answer = client.post(
        "/portal/sign-in",
        data={"email": "marie@acme.example", "password": PASSWORDS["marie@acme.example"], "csrf": csrf(page.text)},
        follow_redirects=False,
    )
    cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith(sessions.COOKIE))
    flags = {part.strip().lower() for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite=lax", "path=/portal"} <= flags
    assert answer.headers["strict-transport-security"].startswith("max-age=")


def test_security_headers_and_no_inline_script(app: TestClient) -> None:
    acme = sign_in(app, "marie@acme.example")
    for path in ("/portal/sign-in", "/portal/claims", "/portal/claims/be-b2b-fr", "/portal/portfolio",
                 "/portal/fees", "/portal/hand-in", "/portal/claims/nope"):
        answer = acme.get(path)
        assert answer.status_code == (404 if path.endswith("nope") else 200), path
        csp = answer.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        assert "<script" not in answer.text and " style=" not in answer.text and "<style" not in answer.text, path


def test_a_tampered_or_expired_session_is_no_session(app: TestClient, portfolio: Path) -> None:
    key = sessions.secret(portfolio)
    fp = fingerprint(portfolio, key, "marie@acme.example")
    cookie, _ = sessions.issue(key, "marie@acme.example", "acme", 1, fp)
    app.cookies.set(sessions.COOKIE, cookie, path="/portal")
    assert app.get("/portal/claims", follow_redirects=False).status_code == 200
    body, signature = cookie.split(".")
    forged, _ = sessions.issue(b"another key", "marie@acme.example", "acme", 1, fp)
    moved, _ = sessions.issue(key, "marie@acme.example", "zon", 1, fp)  # a user is only ever their own client's
    for value in (forged, body + "." + signature[::-1], moved):
        app.cookies.set(sessions.COOKIE, value, path="/portal")
        assert app.get("/portal/claims", follow_redirects=False).status_code == 303
    assert sessions.read(key, cookie) is not None
    expired = sessions.issue(key, "marie@acme.example", "acme", 1, fp)[0]
    import time

    later = time.time() + 2 * 3600
    assert sessions.read(key, expired) is not None
    original = time.time
    try:
        time.time = lambda: later  # type: ignore[assignment]
        assert sessions.read(key, expired) is None
    finally:
        time.time = original  # type: ignore[assignment]


def fingerprint(portfolio: Path, key: bytes, email: str) -> str:
    """The fingerprint a session of ``email`` carries, from the password hash portal.yaml holds now."""
    users = yaml.safe_load((portfolio / "_dossier" / "portal.yaml").read_text(encoding="utf-8"))["users"]
    return sessions.fingerprint(key, next(u["password"] for u in users if u["email"] == email))


def test_a_language_link_never_leaves_the_portal(app: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example", "/portal/../v1/reports", "/\\evil.example"):
        answer = app.get("/portal/language", params={"lang": "nl", "next": target}, follow_redirects=False)
        assert answer.headers["location"] == "/portal/claims"
    answer = app.get("/portal/language", params={"lang": "nl", "next": "/portal/fees?x=1"}, follow_redirects=False)
    assert answer.headers["location"] == "/portal/fees?x=1" and "dossier_lang=nl" in answer.headers["set-cookie"]


def _session_of(client: TestClient) -> str:
    return next(c.value for c in client.cookies.jar if c.name == sessions.COOKIE)


def test_a_cookie_copied_before_sign_out_is_refused_after(app: TestClient, portfolio: Path) -> None:
    acme = sign_in(app, "marie@acme.example")
    stolen = _session_of(acme)
    thief = TestClient(app.app, base_url="http://127.0.0.1", cookies={sessions.COOKIE: stolen})
    assert thief.get("/portal/claims", follow_redirects=False).status_code == 200
    out = acme.post("/portal/sign-out", data={"csrf": csrf(acme.get("/portal/hand-in").text)}, follow_redirects=False)
    assert out.status_code == 303
    assert thief.get("/portal/claims", follow_redirects=False).headers["location"] == "/portal/sign-in"
    assert thief.get("/portal/api/claims").status_code == 401
    nonce = sessions.read(sessions.secret(portfolio), stolen.strip('"')).nonce  # type: ignore[union-attr]
    assert store.is_revoked(portfolio, nonce)  # in the shared file: every instance refuses it


def test_a_new_password_in_portal_yaml_ends_the_users_sessions(app: TestClient, portfolio: Path) -> None:
    path = portfolio / "_dossier" / "portal.yaml"
    original = path.read_text(encoding="utf-8")
    acme = sign_in(app, "marie@acme.example")
    jan = sign_in(TestClient(app.app, base_url="http://127.0.0.1"), "jan@zon.example")
    changed = yaml.safe_load(original)
    changed["users"][0]["password"] = accounts.hash_password("a new password, 2026")
    try:
        path.write_text(yaml.safe_dump(changed), encoding="utf-8")
        assert acme.get("/portal/claims", follow_redirects=False).status_code == 303
        assert jan.get("/portal/claims", follow_redirects=False).status_code == 200  # only that user's
        sign_in(acme, "marie@acme.example", "a new password, 2026")
        assert acme.get("/portal/claims", follow_redirects=False).status_code == 200
    finally:
        path.write_text(original, encoding="utf-8")


def _attempt(client: TestClient, email: str, password: str) -> int:
    page = client.get("/portal/sign-in")
    return client.post("/portal/sign-in", data={"email": email, "password": password, "csrf": csrf(page.text)},
                       follow_redirects=False).status_code


def _from(app: TestClient, address: str) -> TestClient:
    return TestClient(app.app, base_url="http://127.0.0.1", client=(address, 40000))


def test_one_address_cannot_lock_a_user_out_of_their_own(app: TestClient) -> None:
    email = "marie@acme.example"
    attacker = _from(app, "203.0.113.7")
    assert [_attempt(attacker, email, "guess") for _ in range(4)] == [401, 401, 401, 429]  # sign_in_attempts: 3
    assert _attempt(attacker, email, PASSWORDS[email]) == 429  # the attacker stays out, even with the password
    assert _attempt(_from(app, "198.51.100.2"), email, PASSWORDS[email]) == 303  # the user, from their address


def test_a_guess_spread_over_addresses_is_stopped_by_the_emails_limit(app: TestClient) -> None:
    email = "marie@acme.example"
    answers = [_attempt(_from(app, f"203.0.113.{n}"), email, "guess") for n in range(1, 8)]
    assert answers == [401] * 6 + [429]  # sign_in_attempts_per_email: 6
    assert _attempt(_from(app, "198.51.100.2"), email, PASSWORDS[email]) == 429


def test_one_address_trying_many_emails_is_stopped_by_its_limit(app: TestClient) -> None:
    attacker = _from(app, "203.0.113.9")
    answers = [_attempt(attacker, f"user{n}@acme.example", "guess") for n in range(9)]
    assert answers == [401] * 8 + [429]  # sign_in_attempts_per_address: 8
    assert _attempt(_from(app, "198.51.100.2"), "marie@acme.example", PASSWORDS["marie@acme.example"]) == 303
