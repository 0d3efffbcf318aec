"""The portal's shared state: private files, the revocation list pruned as it goes."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest
from tests.conftest import copy_sample

from dossier.http.portal import sessions, store
from dossier.workflow.claims import exposed


def test_the_state_folder_and_the_portals_files_are_the_users_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "be-b2b-fr")
    monkeypatch.delenv(sessions.SECRET_ENV, raising=False)
    old = os.umask(0)
    try:
        sessions.secret(folder)
        store.revoke(folder, "n", int(time.time()) + 60)
    finally:
        os.umask(old)
    state = folder / "_dossier"
    assert stat.S_IMODE(state.stat().st_mode) == 0o700
    for name in (sessions.SECRET_FILE, store.FILE):
        assert stat.S_IMODE((state / name).stat().st_mode) == 0o600, name
    assert exposed(folder) == []
    state.chmod(0o777)
    assert exposed(folder) == [state]


def test_revoked_sessions_are_kept_until_they_would_have_ended(tmp_path: Path) -> None:
    folder = tmp_path / "portfolio"
    copy_sample("be-b2b-fr", folder / "be-b2b-fr")
    assert not store.is_revoked(folder, "never")  # no file yet: nothing was
    store.revoke(folder, "old", int(time.time()) - 1)
    store.revoke(folder, "current", int(time.time()) + 3600)
    assert store.is_revoked(folder, "current")
    assert not store.is_revoked(folder, "old")  # past its end (its cookie is refused anyway): pruned
