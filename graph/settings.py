"""Settings from `ATELIER_*` environment variables, read once by the composition root."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the server can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = None
    max_body_bytes: int = 1_000_000
    db_pool_size: int = 8

    @property
    def production(self) -> bool:
        return self.env == "production"

    def resolved_database_url(self) -> str:
        """The configured URL, or SQLite in the data folder."""
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'atelier.db'}"
