"""Where a bundle is written: a new numbered file in a folder, or the ``.pdf`` file the user named.

A named file that already exists is replaced (atomically: the old bundle or the new one, never half of one)
only when it is a bundle of this same claim, recorded in its journal (or older ledger) by sha256. Anything else
there (a piece, a letter, another claim's bundle, a folder) is refused: nothing already written is lost by a
mistyped ``--out``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from dossier.errors import DossierError
from dossier.output.files import next_version, replace, safe_name, write_new
from dossier.output.journal import Journal, read


class BundleTargetError(DossierError):
    """The file named for the bundle holds something that is not a previous bundle of the claim."""


def target_for(out: Path | None, claim_folder: Path, stem: str) -> Path:
    """``out`` if it names a ``.pdf`` file; else the next free ``stem_vN.pdf`` in ``out`` (default
    ``claim_folder/out``)."""
    if out is not None and out.suffix.lower() == ".pdf":
        return out
    folder = out if out is not None else Journal.of_claim(claim_folder).own_archive()
    stem = safe_name(stem)
    return folder / f"{stem}_v{next_version(folder, stem, ['pdf'])}.pdf"


def save(target: Path, data: bytes, claim_folder: Path) -> None:
    """Write ``data`` at ``target``: a new file, or in place of a previous bundle of the claim (see module)."""
    if not (target.exists() or target.is_symlink()):
        try:
            write_new(target, data)
            return
        except FileExistsError:
            pass  # made meanwhile: judged below like any existing file
    if not _previous_bundle(target, claim_folder):
        raise BundleTargetError(
            "already exists and is not a bundle of this claim (its journal records none with these contents)",
            file=str(target),
            hint="choose another file name, or give a folder: a new numbered version is written there",
        )
    replace(target, data)


def _previous_bundle(target: Path, claim_folder: Path) -> bool:
    if target.is_symlink() or not target.is_file():
        return False
    with target.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return any(
        record.data.get("kind") == "bundle"
        and any(isinstance(f, dict) and f.get("sha256") == digest for f in record.data.get("files", []) or [])
        for record in read(Journal.of_claim(claim_folder)).records
    )
