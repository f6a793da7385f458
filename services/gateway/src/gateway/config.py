"""Gateway settings: downstream URLs, cache backend and TTLs, timeouts, version refresh interval."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AnyHttpUrl, Field, PositiveFloat, PositiveInt, RedisDsn, field_validator
from pydantic_settings import NoDecode

from cinemateca_common.settings import BaseServiceSettings


class Settings(BaseServiceSettings):
    """Read from the environment (``QUERY_URL``, ``REDIS_URL``, ...); tests pass values directly."""

    query_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8001")
    recommender_url: AnyHttpUrl = AnyHttpUrl("http://127.0.0.1:8002")

    # Unset: the embedded in-process LRU cache. Set: Redis (redis-py asyncio).
    redis_url: RedisDsn | None = None
    # Every Redis key starts with this, so several gateways (or tests) can share one database.
    cache_prefix: str = "cinemateca:gw:"
    # Bytes of the embedded LRU cache, answers and their bookkeeping (ignored with Redis, which has
    # its own bound: maxmemory and its eviction policy).
    cache_max_bytes: PositiveInt = 64 * 1024 * 1024
    # Seconds a 2xx answer stays cached; 0 disables caching altogether (every answer is "bypass").
    cache_ttl: float = Field(default=300.0, ge=0)
    # Seconds a downstream 4xx answer stays cached (0 = never cached); 5xx and gateway errors never are.
    cache_ttl_4xx: float = Field(default=30.0, ge=0)
    # After Redis fails, requests bypass it for this long before it is tried again.
    redis_retry_seconds: PositiveFloat = 2.0
    # Redis connect/read timeout: a stalled Redis must not stall the gateway.
    redis_timeout: PositiveFloat = 0.25

    # Downstream timeouts (seconds): connect, and the whole answer (read); over them -> 504.
    connect_timeout: PositiveFloat = 1.0
    downstream_timeout: PositiveFloat = 10.0
    # Connections (so requests in flight) per downstream; more wait for one, within the downstream
    # timeout. Sized above the 50 concurrent clients of bench/gateway: aiohttp's pool costs the same
    # per request whatever the queue, so nothing is gained by queueing in the gateway.
    max_connections: PositiveInt = 64
    # Timeout of the gateway's own calls to /health and /openapi.json of each downstream.
    health_timeout: PositiveFloat = 2.0

    # How often each downstream's /health is polled for its version while it is up, and while it is down.
    version_refresh_seconds: PositiveFloat = 2.0
    version_retry_seconds: PositiveFloat = 0.5

    # Browser origins allowed to call the API (``CORS_ORIGINS=https://a.example,https://b.example``);
    # empty = no cross-origin access (the page served at / is same-origin and needs none).
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """``CORS_ORIGINS`` is a comma-separated list; blanks and trailing slashes are dropped."""
        if isinstance(value, str):
            value = value.split(",")
        if isinstance(value, list | tuple):
            return [str(item).strip().rstrip("/") for item in value if str(item).strip()]
        return value
