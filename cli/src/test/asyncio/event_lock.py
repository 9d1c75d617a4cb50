# asyncio.Event wakes every waiter; asyncio.Lock serialises a read-modify-write and hands over in FIFO order.
# Run it with:  ./braid run cli/src/test/asyncio/event_lock.py
import asyncio


async def main():
    # Event: all waiters wake once it is set, in the order they started waiting
    ready = asyncio.Event()
    woke = []

    async def waiter(name):
        await ready.wait()
        woke.append(name)

    waiters = [asyncio.create_task(waiter(n)) for n in ("w1", "w2", "w3")]
    await asyncio.sleep(0.01)
    print("before set:", ready.is_set(), woke)
    ready.set()
    await asyncio.gather(*waiters)
    print("after set:", ready.is_set(), woke)
    print("waiting on a set event returns at once:", await ready.wait())
    ready.clear()
    try:
        await asyncio.wait_for(ready.wait(), 0.02)
    except TimeoutError:
        print("cleared: waiting times out")

    # Lock: without it the read-modify-write loses updates, with it none are lost
    counter = {"unlocked": 0, "locked": 0}
    lock = asyncio.Lock()

    async def bump_unlocked():
        value = counter["unlocked"]
        await asyncio.sleep(0)
        counter["unlocked"] = value + 1

    async def bump_locked():
        async with lock:
            value = counter["locked"]
            await asyncio.sleep(0)
            counter["locked"] = value + 1

    await asyncio.gather(*(bump_unlocked() for _ in range(10)))
    await asyncio.gather(*(bump_locked() for _ in range(10)))
    print("ten increments:", counter)

    # the lock goes to waiters in the order they asked
    order = []

    async def holder(name):
        async with lock:
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await lock.acquire()
    tasks = [asyncio.create_task(holder(n)) for n in "abc"]
    await asyncio.sleep(0.01)
    print("locked while held:", lock.locked(), order)
    lock.release()
    await asyncio.gather(*tasks)
    print("handed over:", order)
    print("free again:", not lock.locked())
    try:
        lock.release()
    except RuntimeError:
        print("releasing an unlocked lock: RuntimeError")


asyncio.run(main())
