"""Officers on the wire: a named officer as the service answers (the details themselves come in as
``api.records.officers.OfficerDetails``)."""

from pydantic import BaseModel, ConfigDict


class OfficerAnswer(BaseModel):
    """An officer's sign-in name, with the real name, job title and delegated authority letters are signed with."""

    model_config = ConfigDict(extra="forbid")

    username: str
    full_name: str
    job_title: str
    authority: str
