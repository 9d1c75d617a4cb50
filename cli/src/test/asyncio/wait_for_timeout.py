# asyncio.wait_for: a result in time, a TimeoutError when late, and the late task cancelled.
# Run it with:  ./braid run cli/src/test/asyncio/wait_for_timeout.py
import asyncio


async def work(delay, log):
    log.append("started")
    try:
        await asyncio.sleep(delay)
        log.append("finished")
        return "done"
    except asyncio.CancelledError:
        log.append("cancelled")
        raise
    finally:
        log.append("cleaned up")


async def main():
    log = []
    print("in time:", await asyncio.wait_for(work(0.01, log), timeout=10))
    print("  log:", log)

    log = []
    try:
        await asyncio.wait_for(work(10, log), timeout=0.05)
    except TimeoutError:
        print("late: TimeoutError")
    print("  log:", log)
    print("  asyncio.TimeoutError is TimeoutError:", asyncio.TimeoutError is TimeoutError)

    log = []
    task = asyncio.create_task(work(10, log))
    try:
        await asyncio.wait_for(task, timeout=0.02)
    except TimeoutError:
        print("a task passed in is cancelled too:", task.cancelled())
    print("  log:", log)

    log = []
    print("timeout=None waits:", await asyncio.wait_for(work(0.02, log), timeout=None))

    async def fails():
        await asyncio.sleep(0)
        raise KeyError("inner")

    try:
        await asyncio.wait_for(fails(), timeout=10)
    except KeyError as e:
        print("an inner exception passes through:", repr(e))


asyncio.run(main())
