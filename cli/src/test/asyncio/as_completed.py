# asyncio.as_completed yields results in the order they finish, and its timeout.
# Run it with:  ./braid run cli/src/test/asyncio/as_completed.py
import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    if name == "bad":
        raise LookupError("bad job")
    return name


async def main():
    jobs = [job("third", 0.15), job("first", 0.0), job("second", 0.05)]
    for next_done in asyncio.as_completed(jobs):
        print("finished:", await next_done)

    # a failure comes out of its own awaitable, in its place in the order
    for next_done in asyncio.as_completed([job("late", 0.15), job("bad", 0.05), job("early", 0.0)]):
        try:
            print("finished:", await next_done)
        except LookupError as e:
            print("failed:", e)

    # with a timeout, what has not finished by then raises TimeoutError
    quick = asyncio.create_task(job("quick", 0.0))
    await quick
    slow = asyncio.create_task(job("slow", 10))
    got = []
    try:
        for next_done in asyncio.as_completed([quick, slow], timeout=0.05):
            got.append(await next_done)
    except TimeoutError:
        print("timeout after:", got)
    print("the slow task is not cancelled:", not slow.cancelled() and not slow.done())
    slow.cancel()


asyncio.run(main())
