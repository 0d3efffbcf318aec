"""Payments in: bank statement transactions matched to claims, journaled, and a review queue for the rest."""
