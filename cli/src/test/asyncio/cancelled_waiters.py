# A task cancelled while it waits to enter `async with lock` (Lock, Semaphore, Condition) never enters and releases nothing.
# Run it with:  ./braid run cli/src/test/asyncio/cancelled_waiters.py
import asyncio


async def main():
    # Lock: the cancelled waiter never holds it, the next one does
    lock = asyncio.Lock()
    order = []

    async def holder(name):
        async with lock:
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    await lock.acquire()
    x = asyncio.create_task(holder("x"))
    y = asyncio.create_task(holder("y"))
    await asyncio.sleep(0)
    x.cancel()
    lock.release()
    results = await asyncio.gather(x, y, return_exceptions=True)
    print("Lock:", order, [type(r).__name__ for r in results])
    print("  unlocked after:", not lock.locked())

    # Semaphore(1): a cancelled waiter must not hand back a permit it never had
    sem = asyncio.Semaphore(1)
    inside = 0
    most = 0

    async def user():
        nonlocal inside, most
        async with sem:
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    await sem.acquire()
    doomed = asyncio.create_task(user())
    await asyncio.sleep(0)
    doomed.cancel()
    await asyncio.gather(doomed, return_exceptions=True)
    print("Semaphore: still taken by main:", sem.locked(), "waiter cancelled:", doomed.cancelled())
    sem.release()
    await asyncio.gather(*(user() for _ in range(3)))
    print("  most inside at once afterwards:", most)

    # Condition: a waiter cancelled while waiting for the condition's lock
    cond = asyncio.Condition()
    got_in = []

    async def checker(name):
        async with cond:
            got_in.append(name)

    async with cond:
        c1 = asyncio.create_task(checker("c1"))
        c2 = asyncio.create_task(checker("c2"))
        await asyncio.sleep(0)
        c1.cancel()
    results = await asyncio.gather(c1, c2, return_exceptions=True)
    print("Condition:", got_in, [type(r).__name__ for r in results], "locked after:", cond.locked())


asyncio.run(main())
