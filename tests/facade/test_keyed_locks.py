"""One lock per key: holders of one key take turns, other keys do not wait, nothing is kept."""

from __future__ import annotations

import asyncio

from bot.keyed_locks import KeyedLocks


async def test_holders_of_one_key_take_turns_and_other_keys_do_not_wait() -> None:
    locks = KeyedLocks()
    order: list[str] = []
    release = asyncio.Event()

    async def hold(key: str, name: str, wait: bool = False) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            if wait:
                await release.wait()
            order.append(f"{name} out")

    first = asyncio.create_task(hold("m1", "a", wait=True))
    await asyncio.sleep(0)
    second = asyncio.create_task(hold("m1", "b"))
    other = asyncio.create_task(hold("m2", "c"))
    await other  # another key goes through while m1 is held
    assert order == ["a in", "c in", "c out"]
    release.set()
    await asyncio.gather(first, second)
    assert order[3:] == ["a out", "b in", "b out"]


async def test_no_lock_is_kept_once_its_holders_are_done() -> None:
    locks = KeyedLocks()
    async with locks.hold("m1"):
        assert len(locks) == 1
    assert len(locks) == 0
