# asyncio.gather returns results in argument order, whatever order the awaitables finish in.
# Run it with:  ./braid run cli/src/test/asyncio/gather_order.py
import asyncio

finished = []


async def fetch(name, delay):
    await asyncio.sleep(delay)
    finished.append(name)
    return f"{name} after {delay}s"


async def broken(delay):
    await asyncio.sleep(delay)
    finished.append("broken")
    raise ValueError("broken on purpose")


async def main():
    results = await asyncio.gather(fetch("slow", 0.2), fetch("fast", 0.0), fetch("middle", 0.1))
    print("finished:", finished)
    print("results: ", results)

    finished.clear()
    results = await asyncio.gather(fetch("a", 0.05), broken(0.0), fetch("b", 0.0), return_exceptions=True)
    print("finished:", finished)
    for r in results:
        print("  ", type(r).__name__, r)

    finished.clear()
    try:
        await asyncio.gather(fetch("c", 0.05), broken(0.0))
    except ValueError as e:
        print("gather raised the first exception:", e)
    # the other awaitable was not cancelled: it still finishes
    await asyncio.sleep(0.1)
    print("finished:", finished)

    print("empty gather:", await asyncio.gather())


asyncio.run(main())
