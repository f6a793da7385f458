"""Settings base: every service's Settings reads the environment (and .env) with these defaults."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

from cinemateca_common.logs import LogFormat


class BaseServiceSettings(BaseSettings):
    """Common fields; subclasses add their own typed paths and URLs."""

    # env_ignore_empty: ``REDIS_URL=`` (set but empty, as shell scripts and compose files write it)
    # is unset, so the field keeps its default.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, env_ignore_empty=True
    )

    log_level: str = "INFO"
    # ``LOG_FORMAT``: text for a console (``make run``), json for containers (one object per line).
    log_format: LogFormat = "text"
