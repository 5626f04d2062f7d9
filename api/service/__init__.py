"""The HTTP service on FastAPI: the app factory, routes, wire models, the store, jobs and security."""
