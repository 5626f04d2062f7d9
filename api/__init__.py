"""Front doors: the command line (and, in a later issue, the HTTP API)."""
