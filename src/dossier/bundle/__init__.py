"""The court bundle: one paginated, indexed, bookmarked PDF of the whole file."""
