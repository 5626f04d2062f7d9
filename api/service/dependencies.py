"""What routes are handed by dependency: the settings, the store's sessions and engine, and the live register.

Those that only read the app's state are ``async``, so FastAPI calls them on the event loop rather than through its
thread pool; the register's is not (it asks the store, and lays the register out again after a vacancy report).
"""

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from api.records.register import RegisterView
from api.settings import Settings


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


async def get_engine(request: Request) -> Engine:
    return request.app.state.engine


async def get_sessions(request: Request) -> sessionmaker:
    return request.app.state.sessions


def get_register(request: Request) -> RegisterView:
    return request.app.state.register.current()


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionsDep = Annotated[sessionmaker, Depends(get_sessions)]
RegisterDep = Annotated[RegisterView, Depends(get_register)]


async def read_body(request: Request) -> bytes:
    """The request's body, read on the event loop (already received whole by ``BodyLimit``), so that the route
    itself can be a plain function that FastAPI runs in a worker thread."""
    return await request.body()


BodyDep = Annotated[bytes, Depends(read_body)]
