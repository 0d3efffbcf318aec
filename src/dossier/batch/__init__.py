"""Batch runs: many claims, one document kind, warm worker processes, resumable after any interruption."""
