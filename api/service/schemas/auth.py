"""Sign-in for the people of the embedded default: what they send and the token they get."""

from pydantic import BaseModel, ConfigDict, Field


class LoginRequest(BaseModel):
    """A person of the embedded default: username and password (``placewise users add``)."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class TokenAnswer(BaseModel):
    """A bearer token, and the seconds it lasts."""

    access_token: str
    token_type: str = "bearer"
    expires_in: int
