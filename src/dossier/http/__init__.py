"""The HTTP API (FastAPI): the same functions as the CLI, claims as JSON, errors as 422 with field paths."""
