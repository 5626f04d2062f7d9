"""Councils' names and contacts for the letters they send: the council's name and address, its SEND team, the local
SEND information, advice and support service (SENDIASS) and the mediation adviser, from a YAML file the deployment
names (the ``council_contacts`` setting). They are configuration, never code; a letter cannot be made for a council
the file does not hold, and the error says what to add.

The file maps each council's ONS code to its contacts::

    E06900001:
      name: Northvale Council
      address: [Civic Centre, Northvale, NV1 1AA]
      send_team: {name: SEND Team, phone: 0300 123 4567, email: send@northvale.example, address: [...]}
      sendiass: {name: Northvale SENDIASS, phone: ..., email: ..., website: ...}
      mediation_adviser: {name: ..., phone: ..., email: ..., website: ...}

The shipped ``scenarios/library/contacts/demo.yaml`` holds the embedded demo's three invented councils.
"""

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import PlacewiseError
from core.vocabulary import COUNCIL_PATTERN

DEMO_CONTACTS = Path(__file__).resolve().parent / "library" / "contacts" / "demo.yaml"
SETTING = "PLACEWISE_COUNCIL_CONTACTS"


class Contact(BaseModel):
    """A team or service a family can reach: its name and at least one way to reach it."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=2, max_length=200)
    phone: str | None = Field(default=None, max_length=40)
    email: str | None = Field(default=None, max_length=200)
    website: str | None = Field(default=None, max_length=200)
    address: tuple[str, ...] = ()

    def model_post_init(self, _context: object) -> None:
        if not (self.phone or self.email or self.website or self.address):
            raise ValueError("give a phone, an e-mail, a website or an address")


class CouncilContacts(BaseModel):
    """One council's name, address and the three contacts every decision letter gives."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str = Field(min_length=2, max_length=200)
    address: tuple[str, ...] = Field(min_length=1, max_length=8)
    send_team: Contact
    sendiass: Contact
    mediation_adviser: Contact


def load_contacts(path: Path | None) -> dict[str, CouncilContacts]:
    """The contacts file as ``{council code: contacts}`` (none named: an empty map, so letters say what to set).

    Raises:
        PlacewiseError: the file cannot be read, or a council's entry is incomplete (named by code and field).
    """
    if path is None:
        return {}
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        raise PlacewiseError(f"{SETTING}: the council contacts file cannot be read as UTF-8 YAML",
                             field="council_contacts") from None
    if not isinstance(document, dict):
        raise PlacewiseError(f"{SETTING}: the file maps councils' ONS codes to their contacts",
                             field="council_contacts")
    contacts = {}
    for code, entry in document.items():
        if not isinstance(code, str) or not re.fullmatch(COUNCIL_PATTERN, code):
            raise PlacewiseError(f"{SETTING}: every key is a council's ONS code (E06..., E08..., E09..., E10...)",
                                 field="council_contacts")
        try:
            contacts[code] = CouncilContacts.model_validate(entry)
        except ValidationError as error:
            where = ".".join(str(part) for part in error.errors()[0]["loc"])
            raise PlacewiseError(f"{SETTING}: council {code}: {where}: {error.errors()[0]['msg']}",
                                 field="council_contacts") from None
    return contacts


def contacts_for(contacts: dict[str, CouncilContacts], council: str) -> CouncilContacts:
    """The council's contacts for a letter.

    Raises:
        PlacewiseError: the file holds none for the council (field ``council_contacts``); nothing is stored.
    """
    found = contacts.get(council)
    if found is None:
        raise PlacewiseError(f"council_contacts: no name, address, SEND team, SENDIASS and mediation adviser for "
                             f"council {council}; add them to the file named by {SETTING} and restart the service; "
                             "nothing was stored", field="council_contacts")
    return found
