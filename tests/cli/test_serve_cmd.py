"""``dossier serve``: a warning at start-up when others may write the state folder or portal.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import copy_sample

from dossier.cli.main import main


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """uvicorn.run replaced: serve does everything up to serving."""
    import uvicorn

    calls: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **_: calls.append(app))
    for name in ("DOSSIER_PORTFOLIO", "DOSSIER_PORTAL", "DOSSIER_JOBS"):  # serve sets them: put back after
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    return calls


def _serve(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["serve", *args])
    return result.exit_code, result.stderr


def test_serve_warns_when_others_may_write_the_state_folder_or_portal_yaml(
    tmp_path: Path, started: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "be-b2b-fr")
    state = folder / "_dossier"
    state.mkdir(mode=0o700)
    state.chmod(0o700)
    config = tmp_path / "portal.yaml"
    config.write_text("clients: []\nusers: []\n", encoding="utf-8")
    config.chmod(0o600)
    assert _serve("--portfolio", str(folder), "--portal", str(config)) == (0, "")
    state.chmod(0o770)
    config.chmod(0o666)
    code, err = _serve("--portfolio", str(folder), "--portal", str(config))
    assert code == 0 and started == ["dossier.http.app:app"] * 2  # a warning, not a failure
    assert f"warning: {state} is writable by group or others" in err
    assert f"warning: {config} is writable by group or others" in err
