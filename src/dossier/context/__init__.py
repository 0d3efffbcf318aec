"""The document context: what a document shows, already formatted for its language. No law here."""
