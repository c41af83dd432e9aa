"""Settings from `ATELIER_*` environment variables, read once by the composition root."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.retention import RetentionPolicy
from graph.cost import DEFAULT_MAX_QUERY_COST


class Settings(BaseSettings):
    """Everything the server can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = None
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 50_000_000
    max_query_cost: int = DEFAULT_MAX_QUERY_COST
    db_pool_size: int = 8
    retention_after_close_days: float = 7
    retention_max_age_days: float = 30
    cleanup_interval_seconds: float = 600
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    openai_model: str = "gpt-image-1"
    openai_credits_per_image: int = 4

    def retention(self) -> RetentionPolicy:
        """How long unkept generations live."""
        return RetentionPolicy(
            after_close=timedelta(days=self.retention_after_close_days),
            max_age=timedelta(days=self.retention_max_age_days),
        )

    @property
    def production(self) -> bool:
        return self.env == "production"

    def resolved_database_url(self) -> str:
        """The configured URL, or SQLite in the data folder."""
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'atelier.db'}"
