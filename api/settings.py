"""Every ``PLACEWISE_*`` setting, read once (pydantic-settings) and handed on; nothing else reads the environment.

The command line reads ``Settings()`` when a command starts; the HTTP app takes a ``Settings`` in
``create_app`` and hands it to routes by dependency (``SettingsDep``), so tests pass their own. The README's
table of settings is kept true by a test (``tests/api/test_settings.py``). A variable set but empty is as if unset
(so a compose file can pass one through only where it is given).
"""

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_cache() -> Path:
    return Path.home() / ".cache" / "placewise"


class Settings(BaseSettings):
    """The service's and the command line's settings, each from ``PLACEWISE_<NAME>`` where it is set."""

    model_config = SettingsConfigDict(env_prefix="PLACEWISE_", frozen=True, extra="ignore", env_ignore_empty=True)

    database_url: str = Field(default="sqlite:///placewise.db",
                              description="The store: a SQLite file or a PostgreSQL URL.")
    data: Path | None = Field(default=None, description="A data folder laid out like ../shared/data; none: the demo.")
    postcodes: Path | None = Field(default=None, description="The ONS Postcode Directory or NSPL CSV, for children "
                                   "given by postcode.")
    cache: Path = Field(default_factory=_default_cache,
                        description="Where built road graphs, travel tables, density grids and each data "
                        "folder's register and costs are kept.")
    requests_per_minute: int = Field(default=600, ge=1, description="Requests a minute per caller's credential.")
    jobs_per_council: int = Field(default=3, ge=1,
                                  description="Scenario jobs queued or running that name any one council.")
    max_providers: int = Field(default=5_000, ge=1,
                               description="Providers a scenario may take (the national register has about 4,100).")
    max_children: int = Field(default=250_000, ge=1,
                              description="Children a scenario may take (England has about 210,000).")
    max_councils: int = Field(default=60, ge=1,
                              description="Councils a scenario job may name unless an admin submits it.")
    job_memory_gb: float = Field(default=8.0, gt=0, description="Memory cap of each scenario job's process.")
    lease_seconds: float = Field(default=10.0, gt=0,
                                 description="How long a worker's claim on a job holds without a heartbeat.")
    idempotency_hours: float = Field(default=24.0, gt=0,
                                     description="How long a stored answer to an Idempotency-Key is kept.")
    token_minutes: float = Field(default=60.0, gt=0, description="Lifetime of the tokens POST /v1/token gives.")
    session_idle_minutes: float = Field(default=30.0, gt=0,
                                        description="A page's session ends after this long without a request.")
    session_hours: float = Field(default=8.0, gt=0,
                                 description="A page's session ends this long after signing in, however busy.")
    forwarded_allow_ips: str = Field(default="", description="Addresses or networks of the proxies whose "
                                     "X-Forwarded-For and X-Forwarded-Proto are believed, comma-separated; none: "
                                     "the connection's own address is the client's.")
    jwt_algorithm: str = Field(default="RS256",
                               description="The one algorithm accepted on identity providers' tokens.")
    jwt_key: str | None = Field(default=None,
                                description="The identity provider's PEM public key (or an HS256 secret).")
    jwks_file: Path | None = Field(default=None, description="A JWKS file of the identity provider's keys.")
    jwt_issuer: str | None = Field(default=None, description="The issuer identity providers' tokens must name.")
    jwt_audience: str | None = Field(default=None,
                                     description="The audience identity providers' tokens must name.")
    packages: Path | None = Field(default=None, description="The Specialist Provision Packages and price bands "
                                  "(YAML); none: the shipped ILLUSTRATIVE set.")
    capability: Path | None = Field(default=None, description="A council's setting x package capability CSV "
                                    "(provider_id, package, places) over the derived table.")
    pseudonym_key: SecretStr | None = Field(default=None, description="The secret key of the pseudonymous ids an "
                                           "SEN2 return's children are given (HMAC-SHA256); kept apart from outputs.")
    max_return_mb: float = Field(default=100.0, gt=0, le=2_000,
                                 description="Largest SEN2 person-level return (XML) an import reads, in MB.")
    consultation_days: int = Field(default=15, ge=1, le=60,
                                   description="Days a consulted setting has to reply (the statutory 15).")
    oidc_issuer: str | None = Field(default=None, description="The identity provider's issuer (OpenID Connect) "
                                    "the pages sign people in through; none: passwords only.")
    oidc_client_id: str | None = Field(default=None, description="The pages' client id at the identity provider.")
    oidc_client_secret: SecretStr | None = Field(default=None, description="The pages' client secret there.")
    oidc_username_claim: str = Field(default="preferred_username", description="The ID token's claim naming the "
                                     "person of users add.")
    ap_history: Path | None = Field(default=None, description="The councils' own AP placements (CSV: placement_id, "
                                    "council, started_on, ended_on, outcome) for the dashboard's AP flows.")
    vacancy_max_age_days: int = Field(default=30, ge=1, le=365,
                                      description="Days a vacancy report holds; older, the register's estimate "
                                      "stands again, with a sentence saying so.")
    council_contacts: Path | None = Field(default=None, description="Councils' names, addresses, SEND teams, "
                                          "SENDIASS and mediation advisers for letters (YAML); none: the demo's "
                                          "invented ones on the demo, and letters refused on real data.")
    capital_cost_per_place_gbp: float = Field(default=67043.0, gt=0, le=10_000_000,
                                              description="Capital cost of one new specialist place, for payback; "
                                              "the default is ILLUSTRATIVE (London Councils, Do the Maths 2018).")
