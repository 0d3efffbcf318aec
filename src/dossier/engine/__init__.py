"""The engine: what a debtor owes on a date and until when a letter gives them to pay. Pure: no I/O."""

from dossier.engine.deadlines import Deadline, compute_deadline
from dossier.engine.statement import Statement, compute_statement

__all__ = ["Deadline", "Statement", "compute_deadline", "compute_statement"]
