"""The creditors' portal: each client of the firm follows its own claims (see ``routes``)."""
