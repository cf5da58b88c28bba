"""Settings from the environment (or a `.env` file), with the embedded SQLite default."""

import os
from pathlib import Path
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    """`var/` in a checkout, beside pyproject.toml, as ever; installed from a wheel, the
    user's data directory (`$XDG_DATA_HOME/smartcity`, else `~/.local/share/smartcity`),
    never the package's own folder."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "smartcity"


# The ADMS publisher type vocabulary (http://purl.org/adms/publishertype/1.0), whose terms
# DCAT-AP uses for an agent's `dct:type`.
PublisherType = Literal[
    "Academia-ScientificOrganisation",
    "Company",
    "IndustryConsortium",
    "LocalAuthority",
    "NationalAuthority",
    "NonGovernmentalOrganisation",
    "NonProfitOrganisation",
    "PrivateIndividual(s)",
    "RegionalAuthority",
    "StandardisationBody",
    "SupraNationalAuthority",
]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    """`DATA_DIR`: where the embedded SQLite database lives (`smartcity.db`), created on first
    run."""

    database_url: str = ""
    """`DATABASE_URL`: `sqlite:///path` or `postgresql://user:pass@host/db`; by default the
    embedded SQLite database in `DATA_DIR`."""

    @model_validator(mode="after")
    def _embedded_by_default(self) -> Self:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir.resolve() / 'smartcity.db'}"
        return self

    host: str = "127.0.0.1"
    port: int = 8000

    public_url: str = ""
    """`PUBLIC_URL`: where the public reaches this API (`https://opendata.example.go.th`). The
    DCAT catalog builds every IRI and link from it, never from a request's Host header. Unset,
    `http://HOST:PORT` (a wildcard HOST as 127.0.0.1): right where the server is used on the
    machine it runs on; set it behind a proxy or a domain name."""

    @model_validator(mode="after")
    def _public_url_from_the_serve_address(self) -> Self:
        if not self.public_url:
            host = "127.0.0.1" if self.host in ("", "0.0.0.0", "::") else self.host
            host = f"[{host}]" if ":" in host else host  # an IPv6 address
            self.public_url = f"http://{host}:{self.port}"
        parts = urlsplit(self.public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
            raise ValueError(
                f"PUBLIC_URL {self.public_url!r} is no http(s) address such as "
                "https://opendata.example.go.th"
            )
        self.public_url = self.public_url.rstrip("/")
        return self

    publisher: str = "Smart City Thailand open-data API"
    """`PUBLISHER`: who operates this API, named as the publisher and contact point of the
    catalog's datasets (with `PUBLIC_URL` as their web address)."""

    publisher_type: PublisherType | None = None
    """`PUBLISHER_TYPE`: what kind of body the publisher is, a term of the ADMS publisher type
    vocabulary that DCAT-AP asks for (`NationalAuthority`, `NonProfitOrganisation`, …);
    unset, the catalog does not say."""

    redis_url: str | None = None
    """`REDIS_URL`: keep rate-limit counters in Redis, shared by every server process."""

    redis_retry_seconds: float = 5.0
    """While Redis is unreachable each process counts on its own, and one request tries Redis
    again this often (not every request, so a dead Redis slows none of them)."""

    result_cache_size: int = 1_000
    """`RESULT_CACHE_SIZE`: answers to repeated queries each process keeps, keyed by the data
    version so an edit is seen at once; 0 turns the result cache off. With `REDIS_URL`
    answers are shared in Redis too."""

    result_cache_seconds: int = 3_600
    """How long an answer stays in Redis (a newer data version makes it unused sooner)."""

    anonymous_budget: int = 1_000
    """Points per window for a client without an API key (by address)."""

    key_budget: int = 10_000
    """Points per window for a client with an API key (unless the key has its own)."""

    budget_window_seconds: int = 3_600

    request_timeout_seconds: float = 10.0
    """A GraphQL request running longer is stopped with a TIMEOUT error."""

    statement_timeout_ms: int = 5_000
    """PostgreSQL cancels any statement running longer (SQLite has no such setting)."""

    database_pool_size: int = 20
    """Database connections each server process keeps open. Enough for its requests at
    full load: a connection beyond it (up to `database_max_overflow` more) is opened for one
    request and closed after, and opening a PostgreSQL connection costs more than most
    requests (at 32 concurrent requests, a pool of 5 halved the throughput)."""

    database_max_overflow: int = 10
    """Connections a process may open beyond its pool at a peak, each for one request."""

    max_persisted_queries: int = 10_000
    """How many automatic persisted queries the database keeps; the oldest go first."""

    max_body_bytes: int = 1_000_000
    """A request body larger than this is refused with 413 `PAYLOAD_TOO_LARGE`; the app
    never receives more than this many bytes of it."""

    max_import_bytes: int = 20_000_000
    """The largest spreadsheet an editor may upload to `/imports` (the whole dataset as CSV is
    a few megabytes)."""

    body_timeout_seconds: float = 10.0
    """A request body not received in full this long after its headers gets 408
    `BODY_TIMEOUT`, and the connection is closed."""

    header_timeout_seconds: float = 10.0
    """A connection whose request line and headers have not arrived in full this long after
    it opened (or after the request's first byte) is closed."""

    max_header_bytes: int = 65_536
    """A request line and headers larger than this get 431 `HEADERS_TOO_LARGE`, and the
    connection is closed."""

    keep_alive_timeout_seconds: int = 5
    """An idle connection between requests is closed after this long (uvicorn's
    `timeout_keep_alive`)."""

    max_connections: int = 1_000
    """Open connections (and requests in progress) per server process; beyond it uvicorn
    answers 503 and closes the connection (its `limit_concurrency`)."""

    unavailable_retry_after_seconds: int = 5
    """`Retry-After` on the 503 `SERVICE_UNAVAILABLE` answered while the database cannot be
    reached (down, restarting, out of connections)."""

    compiled_queries: bool = True
    """Answer what the compiler can express with one SQL statement that builds the JSON in
    the database (`schema.compiled`); `COMPILED_QUERIES=false` leaves all to the resolvers."""

    introspection: bool = True
    """The schema is public: introspection is on unless `INTROSPECTION=false`."""

    field_suggestions: bool = True
    """"Did you mean …?" hints in validation errors, unless `FIELD_SUGGESTIONS=false`."""

    metrics: Literal["admin", "open"] = "admin"
    """Who may read `/metrics` (Prometheus): `admin`, a request with an admin API key
    (`Authorization: Bearer <key>`; others get 403 `FORBIDDEN`), or `open`, anyone."""

    metrics_port: int | None = None
    """`METRICS_PORT`: serve the metrics on this port of 127.0.0.1 instead, to anyone who can
    reach it there (a scraper on the same host), and not at `/metrics` on the API."""

    log_pseudonym_key: str | None = None
    """`LOG_PSEUDONYM_KEY`: the secret the access log's client pseudonyms are keyed with
    (HMAC-SHA256), so nobody can undo them by hashing every IPv4 address. Unset, each process
    draws its own at start: pseudonyms then differ between processes and restarts; set one
    (32 or more random characters) to follow a client across them."""

    log_format: Literal["json", "text"] = "json"
    """`LOG_FORMAT` of the served app's log lines, one a line: `json` objects (with each
    request's access line) or `text` for reading in a terminal."""
