"""The service's store: tables (``models``), the engine and its migrations (``engine``, ``migrations/``)."""
