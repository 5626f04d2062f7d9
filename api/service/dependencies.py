"""What routes are handed by dependency: the settings, the store's sessions and engine, and the live register.

Those that only read the app's state are ``async``, so FastAPI calls them on the event loop rather than through its
thread pool; so is the register's, which goes to a worker thread only where it must ask the store or lay the register
out again (after a vacancy report).
"""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from starlette.concurrency import run_in_threadpool

from api.records.register import RegisterView
from api.settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_sessions(request: Request) -> sessionmaker:
    return request.app.state.sessions


async def get_register(request: Request) -> RegisterView:
    """The live register: on the event loop where the request's gate has read the reports' version and the register
    is laid out for it; in a worker thread otherwise (it reads the store, or lays the register out again)."""
    register = request.app.state.register
    reports = getattr(request.state, "reports_version", None)
    view = register.laid_out(reports) if reports is not None else None
    return view if view is not None else await run_in_threadpool(register.current, reports)


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionsDep = Annotated[sessionmaker, Depends(get_sessions)]
RegisterDep = Annotated[RegisterView, Depends(get_register)]


async def read_body(request: Request) -> bytes:
    """The request's body, read on the event loop (already received whole by ``BodyLimit``), so that the route
    itself can be a plain function that FastAPI runs in a worker thread."""
    return await request.body()


BodyDep = Annotated[bytes, Depends(read_body)]
