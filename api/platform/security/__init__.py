"""Who may do what: credentials (``auth``, ``keys``, ``people``), limits, idempotency and the audit trail."""
