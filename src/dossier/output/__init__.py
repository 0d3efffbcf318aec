"""Writing documents and the claim's ledger: atomically, never overwriting what was written before."""
