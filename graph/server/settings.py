"""Settings from `ATELIER_*` environment variables, read once by the composition root."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from domain.processing.services import RetryPolicy
from domain.studio.retention import RetentionPolicy
from domain.webhooks.services import DeliveryPolicy
from graph.limits.cost import DEFAULT_MAX_QUERY_COST


class Settings(BaseSettings):
    """Everything the server can be configured with."""

    model_config = SettingsConfigDict(env_prefix="ATELIER_")

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = None
    max_body_bytes: int = 1_000_000
    persisted_query_cache_size: int = 5_000
    persisted_queries_file: Path | None = None
    max_upload_bytes: int = 50_000_000
    max_response_bytes: int = 20_000_000
    max_query_cost: int = DEFAULT_MAX_QUERY_COST
    db_pool_size: int | None = Field(default=None, ge=1)  # kept per process; None: 24 PostgreSQL, 8 SQLite
    retention_after_close_days: float = 7
    retention_max_age_days: float = 30
    cleanup_interval_seconds: float = 600
    trash_retention_days: float = 30
    event_retention_days: float = 30
    event_poll_seconds: float = 0.25
    # subscriptions (graphql-transport-ws on /graphql) and their cross-process feed
    redis_url: SecretStr | None = None  # set: events reach every process through a Redis stream
    redis_stream: str = "atelier:events"
    redis_stream_maxlen: int = Field(default=100_000, ge=1_000)  # approximate: Redis trims whole nodes
    # the response cache (graph/server/response_cache.py): auto is Redis when redis_url is set, else memory
    response_cache: Literal["auto", "memory", "redis", "off"] = "auto"
    response_cache_entries: int = Field(default=2_000, ge=1)  # per process, in memory
    response_cache_bytes: int = Field(default=64_000_000, ge=1_000_000)  # per process, in memory
    response_cache_ttl_seconds: int = Field(default=600, ge=1)  # in Redis; memory drops the least used
    ws_init_timeout_seconds: float = Field(default=10, gt=0)  # connection_init must come by then: 4408
    ws_max_subscriptions: int = Field(default=20, ge=1)  # per socket; more are refused with an error
    ws_auth_recheck_seconds: float = Field(default=30, gt=0)  # a revoked token's socket closes by then
    openai_base_url: str | None = None
    openai_api_key: SecretStr | None = None  # SecretStr: never shown by repr, logs or error messages
    openai_model: str = "gpt-image-1"
    openai_credits_per_image: int = 4
    openai_timeout_seconds: float = 120
    secret_key: SecretStr | None = None
    file_link_lifetime_seconds: int = 900
    # processing: renditions and facts of saved assets and generations (see domain.processing)
    worker: Literal["on", "off"] = "on"  # off: this server only queues; `atelier worker` processes
    worker_processes: int = Field(default=0, ge=0)  # the process pool's size; 0: the CPU count
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    job_max_attempts: int = Field(default=3, ge=1)
    job_backoff_seconds: float = Field(default=10, gt=0)  # after the first failure; doubles, capped
    job_max_backoff_seconds: float = Field(default=600, gt=0)
    job_lease_seconds: float = Field(
        default=300, gt=0
    )  # a claim lasts this long; then another worker may take it
    # webhooks: deliveries run where processing runs (ATELIER_WORKER=on, or `atelier worker`)
    webhook_allow_private_networks: bool = False  # true: loopback and private addresses too (tests, LANs)
    webhook_timeout_seconds: float = Field(default=10, gt=0)
    webhook_backoff_seconds: float = Field(default=5, gt=0)  # after the first failure; doubles, jittered
    webhook_max_backoff_seconds: float = Field(default=3600, gt=0)
    webhook_disable_after_seconds: float = Field(default=86_400, gt=0)  # failing this long disables it
    webhook_secret_grace_seconds: float = Field(default=86_400, ge=0)  # the old secret signs this long
    webhook_poll_seconds: float = Field(default=0.5, gt=0)
    webhook_batch: int = Field(default=32, ge=1, le=500)  # deliveries in flight per process

    def retention(self) -> RetentionPolicy:
        """How long unkept generations live."""
        return RetentionPolicy(
            after_close=timedelta(days=self.retention_after_close_days),
            max_age=timedelta(days=self.retention_max_age_days),
        )

    def trash_retention(self) -> timedelta:
        """How long an asset stays in the trash before the periodic sweep purges it."""
        return timedelta(days=self.trash_retention_days)

    def event_retention(self) -> timedelta:
        """How long the event log keeps an event; an older cursor is CURSOR_EXPIRED."""
        return timedelta(days=self.event_retention_days)

    def job_policy(self) -> RetryPolicy:
        """How processing jobs are retried and leased."""
        return RetryPolicy(
            max_attempts=self.job_max_attempts,
            backoff=timedelta(seconds=self.job_backoff_seconds),
            max_backoff=timedelta(seconds=self.job_max_backoff_seconds),
            lease=timedelta(seconds=self.job_lease_seconds),
        )

    def webhook_policy(self) -> DeliveryPolicy:
        """How webhook deliveries are retried, leased and given up on."""
        return DeliveryPolicy(
            backoff=timedelta(seconds=self.webhook_backoff_seconds),
            max_backoff=timedelta(seconds=self.webhook_max_backoff_seconds),
            disable_after=timedelta(seconds=self.webhook_disable_after_seconds),
            # past the lease another sender takes the delivery: twice the timeout covers the
            # connect, the answer and the record; a crashed sender's deliveries wait no longer
            lease=timedelta(seconds=2 * self.webhook_timeout_seconds + 10),
            batch=self.webhook_batch,
            secret_grace=timedelta(seconds=self.webhook_secret_grace_seconds),
        )

    def signing_key(self) -> bytes:
        """The key that signs cursors: `ATELIER_SECRET_KEY`, or one made once and kept in the data folder.

        The file lets every worker of one data folder, and the next start, accept the cursors
        another handed out; servers on several hosts set `ATELIER_SECRET_KEY` alike.
        """
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            # written aside, then linked: a worker starting at the same moment reads a whole key or makes none
            temp = path.with_name(f".secret_key.{secrets.token_hex(8)}")
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, secrets.token_urlsafe(32).encode())
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(temp, path)
            except FileExistsError:
                pass
            finally:
                temp.unlink()
        return path.read_bytes().strip()

    @property
    def production(self) -> bool:
        return self.env == "production"

    def resolved_database_url(self) -> str:
        """The configured URL, or SQLite in the data folder."""
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'atelier.db'}"
