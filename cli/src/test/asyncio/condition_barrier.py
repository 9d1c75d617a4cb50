# asyncio.Condition (notify, notify_all, wait_for a predicate) and asyncio.Barrier (parties meet, reset, abort).
# Run it with:  ./braid run cli/src/test/asyncio/condition_barrier.py
import asyncio


async def main():
    cond = asyncio.Condition()
    items = []
    log = []
    took = asyncio.Event()

    async def consumer(name):
        async with cond:
            await cond.wait_for(lambda: items)
            log.append(f"{name} took {items.pop(0)}")
            took.set()

    consumers = [asyncio.create_task(consumer(f"c{i}")) for i in range(3)]
    await asyncio.sleep(0.01)
    async with cond:
        items.append("one")
        cond.notify()  # wakes one waiter
    await took.wait()
    print("after notify():", log)
    async with cond:
        items.extend(["two", "three"])
        cond.notify_all()  # wakes the rest
    await asyncio.gather(*consumers)
    print("after notify_all():", log)

    try:
        cond.notify()
    except RuntimeError:
        print("notify without the lock: RuntimeError")

    # wait() gives the lock up while waiting and has it again on waking
    async def checker():
        async with cond:
            await cond.wait()
            return cond.locked()

    t = asyncio.create_task(checker())
    await asyncio.sleep(0)
    print("the waiter released the lock:", not cond.locked())
    async with cond:
        cond.notify_all()
    print("woken holding the lock:", await t)

    # Barrier: nobody passes until all parties have arrived
    barrier = asyncio.Barrier(3)
    passed = []

    go = asyncio.Event()

    async def party(name, wait_for_go):
        await asyncio.sleep(0)
        if wait_for_go:
            await go.wait()
        index = await barrier.wait()
        passed.append(name)
        return index

    tasks = [asyncio.create_task(party(n, d)) for n, d in (("p1", False), ("p2", False), ("p3", True))]
    await asyncio.sleep(0.05)
    print("two arrived:", barrier.n_waiting, "passed:", passed)
    go.set()
    indices = await asyncio.gather(*tasks)
    print("all passed:", sorted(passed), "indices:", sorted(indices))
    print("the barrier is reusable:", barrier.n_waiting, barrier.broken)

    # abort: the waiters get BrokenBarrierError
    async def doomed():
        try:
            await barrier.wait()
        except asyncio.BrokenBarrierError:
            return "broken"

    tasks = [asyncio.create_task(doomed()) for _ in range(2)]
    await asyncio.sleep(0.01)
    await barrier.abort()
    print("after abort:", await asyncio.gather(*tasks), "broken:", barrier.broken)
    await barrier.reset()
    print("after reset: broken", barrier.broken)


asyncio.run(main())
