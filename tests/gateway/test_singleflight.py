"""Single-flight, without HTTP: one execution per key for concurrent callers."""

from __future__ import annotations

import asyncio

import pytest

from gateway.singleflight import SingleFlight

pytestmark = pytest.mark.anyio


async def test_single_flight_makes_one_call_for_concurrent_misses() -> None:
    flight: SingleFlight[int] = SingleFlight()
    calls = 0
    release = asyncio.Event()

    async def work() -> int:
        nonlocal calls
        calls += 1
        await release.wait()
        return 42

    callers = [asyncio.create_task(flight.do("k", work)) for _ in range(50)]
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(*callers)
    assert calls == 1
    assert {value for value, _ in results} == {42}
    assert sum(shared for _, shared in results) == 49
    assert len(flight) == 0
    # Once done, the next call runs the work again (the cache, not single-flight, keeps answers).
    assert await flight.do("k", work) == (42, False)
    assert calls == 2


async def test_single_flight_shares_errors_and_survives_a_cancelled_caller() -> None:
    flight: SingleFlight[int] = SingleFlight()
    release = asyncio.Event()

    async def failing() -> int:
        await release.wait()
        raise ValueError("downstream exploded")

    first = asyncio.create_task(flight.do("k", failing))
    second = asyncio.create_task(flight.do("k", failing))
    await asyncio.sleep(0.01)
    first.cancel()  # e.g. its client went away: the work goes on for the second caller
    release.set()
    with pytest.raises(ValueError, match="downstream exploded"):
        await second
    with pytest.raises(asyncio.CancelledError):
        await first
    assert len(flight) == 0
