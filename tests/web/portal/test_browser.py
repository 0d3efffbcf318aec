"""The portal in a real browser: Debian's chromium driven by Playwright (``executable_path``: the Playwright
browser download is not used), against a uvicorn server the test starts on a port the system picks (port 0).

Skipped, saying why, when chromium or Playwright is missing; ``.ci/run`` installs both. Set
``DOSSIER_PORTAL_SHOTS=/some/folder`` to keep a screenshot of every page in every language there."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.web.portal.conftest import PASSWORDS, make_portfolio

from dossier.output.journal import Journal, read

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install playwright)")
expect = playwright.expect
pytestmark = pytest.mark.skipif(
    not os.path.exists(CHROMIUM), reason="chromium is not installed (apt-get install -y chromium; see .ci/run)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    import uvicorn

    folder = make_portfolio(tmp_path_factory.mktemp("browser") / "portfolio")
    saved = {k: os.environ.get(k) for k in ("DOSSIER_PORTFOLIO", "DOSSIER_PORTAL", "DOSSIER_INDEX")}
    os.environ["DOSSIER_PORTFOLIO"] = str(folder)
    for name in ("DOSSIER_PORTAL", "DOSSIER_INDEX"):
        os.environ.pop(name, None)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    from dossier.http.app import app

    instance = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", folder
    finally:
        instance.should_exit = True
        thread.join(10)
        sock.close()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def signed_in(browser: object, base: str, email: str, locale: str = "en-GB") -> object:
    context = browser.new_context(locale=locale, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/portal/")
    label = {"en-GB": "E-mail address", "fr-BE": "Adresse e-mail", "nl-BE": "E-mailadres"}[locale]
    page.get_by_label(label).fill(email)
    page.locator("#password").fill(PASSWORDS[email])
    page.locator("form.card button[type=submit]").click()
    page.wait_for_url(f"{base}/portal/claims")
    return page


def test_sign_in_filter_open_a_claim_and_download_a_letter(server: tuple[str, Path], browser: object) -> None:
    base, folder = server
    page = signed_in(browser, base, "marie@acme.example")
    assert page.locator("table.claims tbody tr").count() == 2
    page.get_by_label("Debtor or reference").fill("Boulangerie")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**q=Boulangerie**")
    rows = page.locator("table.claims tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("ACME-2025-0042")
    page.get_by_label("Jurisdiction").select_option("FR")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**jurisdiction=FR**")
    expect(page.locator("table.claims tbody tr")).to_have_count(0)
    page.goto(f"{base}/portal/claims?q=Boulangerie")
    page.get_by_role("link", name="ACME-2025-0042").click()
    expect(page.locator("h1")).to_have_text(re.compile(r"^ACME-2025-0042"))
    journal = read(Journal.of_claim(folder / "be-b2b-fr")).records
    rendered = next(r for r in journal if r.event == "document-rendered")
    pdf = next(f for f in rendered.data["files"] if f["format"] == "pdf")
    with page.expect_download() as info:
        page.get_by_role("link", name=f"Download {pdf['name']}").click()
    data = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(data).hexdigest() == pdf["sha256"]
    page.context.close()


def test_hand_in_a_csv_with_one_bad_row(server: tuple[str, Path], browser: object, tmp_path: Path) -> None:
    import csv
    import json

    from tests.conftest import BASE_CLAIM

    good = json.loads(json.dumps(BASE_CLAIM)) | {"reference": "WEB-1"}
    bad = json.loads(json.dumps(BASE_CLAIM)) | {"reference": "WEB-2"}
    bad["invoices"][0]["amount"] = "-5"
    path = tmp_path / "new-claims.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(good))
        writer.writeheader()
        for row in (good, bad):
            writer.writerow({k: json.dumps(v) if isinstance(v, dict | list) else v for k, v in row.items()})
    base, folder = server
    page = signed_in(browser, base, "marie@acme.example")
    page.get_by_role("link", name="Hand in claims").click()
    page.get_by_label("Files").set_input_files(str(path))
    page.get_by_role("button", name="Hand in").click()
    problems = page.locator("table.problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.locator("th")).to_have_text("new-claims.csv:3")
    expect(problems.first).to_contain_text("invoices[0].amount")
    expect(page.locator("main")).to_contain_text("Added: 1")
    assert (folder / "acme-WEB-1" / "claim.yaml").is_file()
    page.context.close()


def test_switch_language(server: tuple[str, Path], browser: object) -> None:
    base, _ = server
    page = signed_in(browser, base, "marie@acme.example", locale="fr-BE")
    # each click reloads the same address: wait for the page's language, not for the URL (a race CI once lost)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("h1")).to_have_text("Dossiers")
    page.get_by_role("link", name="Nederlands").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("link", name="Erelonen")).to_be_visible()
    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Fees")).to_be_visible()
    page.context.close()


def test_a_second_client_gets_404_for_the_first_clients_claim_document_and_export(
    server: tuple[str, Path], browser: object
) -> None:
    base, folder = server
    page = signed_in(browser, base, "jan@zon.example")
    assert "ACME" not in page.inner_text("main")
    record = next(r for r in read(Journal.of_claim(folder / "be-b2b-fr")).records if r.event == "document-rendered")
    for path in ("/portal/claims/be-b2b-fr", f"/portal/claims/be-b2b-fr/files/{record.data['n']}/0",
                 "/portal/api/claims/be-b2b-fr"):
        response = page.goto(base + path)
        assert response is not None and response.status == 404, path
        assert "ACME" not in page.content() and "Boulangerie" not in page.content()
    export = page.request.get(f"{base}/portal/claims.csv?q=Boulangerie")
    assert export.status == 200 and "Boulangerie" not in export.text() and len(export.text().splitlines()) == 1
    page.context.close()


def test_screenshots_of_every_page_in_every_language(server: tuple[str, Path], browser: object) -> None:
    shots = os.environ.get("DOSSIER_PORTAL_SHOTS")
    if not shots:
        pytest.skip("set DOSSIER_PORTAL_SHOTS=/folder to keep screenshots")
    base, _ = server
    Path(shots).mkdir(parents=True, exist_ok=True)
    for locale in ("fr-BE", "nl-BE", "en-GB"):
        lang = locale[:2]
        anonymous = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
        first = anonymous.new_page()
        first.goto(f"{base}/portal/sign-in")
        first.screenshot(path=f"{shots}/sign-in-{lang}.png", full_page=True)
        anonymous.close()
        page = signed_in(browser, base, "marie@acme.example", locale=locale)
        for name, path in (("claims", "/portal/claims"), ("claim", "/portal/claims/be-b2b-fr"),
                           ("portfolio", "/portal/portfolio"), ("fees", "/portal/fees"), ("hand-in", "/portal/hand-in"),
                           ("not-found", "/portal/claims/nope")):
            page.goto(base + path)
            page.screenshot(path=f"{shots}/{name}-{lang}.png", full_page=True)
        bad = Path(shots) / "bad.csv"
        bad.write_text('reference,jurisdiction\nX-1,ZZ\n', encoding="utf-8")
        page.goto(base + "/portal/hand-in")
        page.locator("#files").set_input_files(str(bad))
        page.locator("main form button").click()
        page.screenshot(path=f"{shots}/hand-in-errors-{lang}.png", full_page=True)
        bad.unlink()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(base + "/portal/claims")
        page.screenshot(path=f"{shots}/claims-phone-{lang}.png", full_page=True)
        page.context.close()
