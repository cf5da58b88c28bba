"""Settings from the environment (or a `.env` file), with the embedded SQLite default."""

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'smartcity.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    """`DATABASE_URL`: `sqlite:///path` (the default) or `postgresql://user:pass@host/db`."""

    host: str = "127.0.0.1"
    port: int = 8000

    redis_url: str | None = None
    """`REDIS_URL`: keep rate-limit counters in Redis, shared by every server process."""

    anonymous_budget: int = 1_000
    """Points per window for a client without an API key (by address)."""

    key_budget: int = 10_000
    """Points per window for a client with an API key (unless the key has its own)."""

    budget_window_seconds: int = 3_600

    request_timeout_seconds: float = 10.0
    """A GraphQL request running longer is stopped with a TIMEOUT error."""

    statement_timeout_ms: int = 5_000
    """PostgreSQL cancels any statement running longer (SQLite has no such setting)."""

    introspection: bool = True
    """The schema is public: introspection is on unless `INTROSPECTION=false`."""

    field_suggestions: bool = True
    """"Did you mean …?" hints in validation errors, unless `FIELD_SUGGESTIONS=false`."""
