"""Settings base: every service's Settings reads the environment (and .env) with these defaults."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class BaseServiceSettings(BaseSettings):
    """Common fields; subclasses add their own typed paths and URLs."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    log_level: str = "INFO"
