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
