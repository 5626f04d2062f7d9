"""The routes under ``/v1``, one module per resource: validate, authorise, call the engine, shape the answer."""
