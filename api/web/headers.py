"""Headers on every HTML answer: a content security policy that lets a page load nothing from any host but this
service, no framing by other sites, and no caching of pages that may hold a child's details."""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
          "script-src 'self' 'unsafe-inline'; connect-src 'self'; font-src 'self'; frame-src 'self'; "
          "frame-ancestors 'self'; form-action 'self'; base-uri 'self'; object-src 'none'")


class PageHeaders:
    """Pure ASGI: add the headers to answers whose content type is HTML (pages, maps, the OpenAPI page)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Content-Security-Policy"] = POLICY
                    headers["X-Content-Type-Options"] = "nosniff"
                    headers["Referrer-Policy"] = "same-origin"
                    if not scope["path"].startswith("/v1/"):
                        headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
