"""A client hands in claims: a CSV (the batch portfolio format: one claim per row) or claim files (.yaml, .yml,
.json). Each claim is checked as ``dossier validate`` checks it (the same loader, the same messages, named by file
and row), must be for a creditor the client stands for and no other client does (else a client could put claims
into another's list: its creditor's name with the other's company number), and may name no file (pieces, history,
events). Every claim without a problem becomes a claim folder of the portfolio, ``<client>-<reference>/claim.yaml``,
written in a hidden folder then renamed into place (atomic: a reader sees the whole claim or nothing); a claim whose
folder already exists is refused, never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dossier.batch.portfolio import entries
from dossier.errors import ClaimError, DossierError, Problem
from dossier.http.portal.accounts import Client, owns
from dossier.http.portal.store import Quota
from dossier.model import Claim, claim_from_data
from dossier.model.references import parse_reference
from dossier.output.files import safe_name
from dossier.payments.index import ReferenceIndex
from dossier.strictyaml import load_text
from dossier.workflow.claims import is_claim_folder
from dossier.workflow.payments import load_accounts

MAX_BYTES = 5 * 1024 * 1024  # one uploaded file
MAX_CLAIMS = 5000  # one hand-in
SUFFIXES = (".csv", ".yaml", ".yml", ".json")


@dataclass
class Result:
    """One claim handed in: where it came from (file and row), and its problems or the folder it became."""

    source: str
    reference: str | None = None
    problems: list[Problem] = field(default_factory=list)
    folder: str | None = None


def hand_in(portfolio: Path, client: Client, uploads: list[tuple[str, bytes]],
            others: Sequence[Client] = (), quota: Quota | None = None, over_quota: str = "") -> list[Result]:
    """``others``: the firm's other clients (a claim one of them would own too is refused). ``quota``: the
    client's claims per day (those past it get ``over_quota``, in the user's language)."""
    if not portfolio.is_dir() or is_claim_folder(portfolio):
        return [Result("-", problems=[Problem("this portfolio is a file: hand-in needs a folder of claims")])]
    found: list[Found] = []
    for name, content in uploads[:50]:
        found += _claims_of(Path(name).name[:120] or "upload", content)
    checked = _checked(found, client, [c for c in others if c.id != client.id])
    writing = _within(_unprinted(portfolio, checked), quota, over_quota)
    for result, data in writing:
        result.folder = _write(portfolio, client, data, result)
    if quota is not None:
        quota.give_back(sum(1 for result, _ in writing if result.folder is None))
    return [result for result, _ in found]


def _within(claims: list[tuple[Result, dict]], quota: Quota | None, message: str) -> list[tuple[Result, dict]]:
    """The claims today's quota still allows (taken from it now); the others are refused with ``message``."""
    granted = len(claims) if quota is None else quota.take(len(claims))
    for result, _ in claims[granted:]:
        result.problems.append(Problem(message, file=result.source))
    return claims[:granted]


Found = tuple[Result, dict[str, Any] | None]  # a claim handed in, with its data when it could be read


def _claims_of(name: str, content: bytes) -> list[Found]:
    """The claims of one uploaded file, each with its data (kept aside until it is checked)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return [(Result(name, problems=[Problem("must be a .csv, .yaml, .yml or .json file", file=name)]), None)]
    if len(content) > MAX_BYTES:
        return [(Result(name, problems=[Problem(f"is larger than {MAX_BYTES // 1024 // 1024} MB", file=name)]), None)]
    if suffix == ".csv":
        return _rows(name, content)
    try:
        data = load_text(content.decode("utf-8"), file=name, numbers="decimal", error=ClaimError,
                         fmt="json" if suffix == ".json" else "yaml")
    except UnicodeDecodeError:
        return [(Result(name, problems=[Problem("is not UTF-8 text", file=name)]), None)]
    except DossierError as exc:
        return [(Result(name, problems=list(exc.problems)), None)]
    return [(Result(name), data if isinstance(data, dict) else {"_": data})]


def _rows(name: str, content: bytes) -> list[Found]:
    with tempfile.TemporaryDirectory(prefix="dossier-handin-") as tmp:
        path = Path(tmp) / (safe_name(Path(name).stem) + ".csv")
        path.write_bytes(content)
        try:
            rows = entries(path)
        except DossierError as exc:
            return [(Result(name, problems=[Problem(p.message, file=name, path=p.path) for p in exc.problems]), None)]
    out: list[Found] = []
    for entry in rows[:MAX_CLAIMS]:
        label = name + entry.label[entry.label.rfind(":") :]  # "claims.csv:3", the row as a spreadsheet numbers it
        if entry.data is not None and set(entry.data) == {"_invalid"}:
            out.append((Result(label, problems=[Problem(str(entry.data["_invalid"]), file=label)]), None))
        else:
            out.append((Result(label), entry.data or {}))
    return out


def _checked(found: list[Found], client: Client, others: list[Client]) -> list[tuple[Result, Claim, dict[str, Any]]]:
    accepted = []
    for result, data in found:
        if data is None:
            continue
        try:
            claim = claim_from_data(data, file=result.source)
        except DossierError as exc:
            result.problems += list(exc.problems)
            continue
        result.reference = claim.reference
        creditor = (claim.creditor.name, claim.creditor.company_number)
        if not owns(client, *creditor) or any(owns(other, *creditor) for other in others):
            result.problems.append(
                Problem("is not a creditor of your account", file=result.source, path="creditor",
                        hint="hand in claims of the creditors you stand for; ask the firm to add one")
            )
            continue
        if claim.pieces or any(h.file for h in claim.history) or any(e.file for e in claim.events):
            result.problems.append(Problem("names files: hand in claims without pieces or history files here",
                                           file=result.source, path="pieces"))
            continue
        accepted.append((result, claim, data))
    return accepted


def _given(claim: Claim) -> list[tuple[str, str]]:
    """(field path, reference) of every payment reference the claim gives (its own, its invoices')."""
    given = [("payment_reference", claim.payment_reference)] if claim.payment_reference else []
    return given + [(f"invoices[{i}].payment_reference", line.payment_reference)
                    for i, line in enumerate(claim.invoices) if line.payment_reference]


def _unprinted(portfolio: Path, checked: list[tuple[Result, Claim, dict[str, Any]]]) -> list[tuple[Result, dict]]:
    """The claims whose payment references no claim of the portfolio prints: a client giving the reference of
    another's letters would have that claim's reference changed and its debtor's payments sent to review, with
    the planted claim among the candidates. The claims are read only when a reference is given."""
    if not any(_given(claim) for _, claim, _ in checked):
        return [(result, data) for result, _, data in checked]
    printed = set(ReferenceIndex.build(load_accounts(portfolio)[0]).structured)
    kept = []
    for result, claim, data in checked:
        compact = [(path, parse_reference(ref)[1]) for path, ref in _given(claim)]
        taken = [path for path, ref in compact if ref in printed]
        printed.update(ref for _, ref in compact)  # two claims of one hand-in giving the same one
        result.problems += [Problem("is a payment reference another claim of the portfolio prints",
                                    file=result.source, path=path, hint="hand in the claim without it, or ask the firm")
                            for path in taken]
        if not taken:
            kept.append((result, data))
    return kept


def _write(portfolio: Path, client: Client, data: dict[str, Any], result: Result) -> str | None:
    name = safe_name(f"{client.id}-{data['reference']}")
    target = portfolio / name
    if target.exists():
        result.problems.append(Problem("a claim with this reference was already handed in", file=result.source,
                                       path="reference"))
        return None
    staging = Path(tempfile.mkdtemp(prefix=".handin-", dir=portfolio))
    try:
        text = yaml.safe_dump(_plain(data), sort_keys=False, allow_unicode=True)
        with open(staging / "claim.yaml", "x", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staging, 0o755)
        try:
            os.rename(staging, target)  # refuses (ENOTEMPTY / EEXIST) a folder made meanwhile
        except OSError:
            result.problems.append(Problem("a claim with this reference was already handed in",
                                           file=result.source, path="reference"))
            return None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return name


def _plain(value: Any) -> Any:
    """Decimals (and dates) as strings: exact in YAML, read back as the loader reads them."""
    return json.loads(json.dumps(value, default=str))
