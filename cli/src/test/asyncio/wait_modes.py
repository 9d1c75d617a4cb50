# asyncio.wait with FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED and a timeout: done and pending sets.
# Run it with:  ./braid run cli/src/test/asyncio/wait_modes.py
import asyncio


async def job(name, until, fail=False):
    # `until` is a delay in seconds, or an Event the job waits for
    if isinstance(until, asyncio.Event):
        await until.wait()
    else:
        await asyncio.sleep(until)
    if fail:
        raise RuntimeError(f"{name} failed")
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


def start(*specs):
    return [asyncio.create_task(job(*spec), name=spec[0]) for spec in specs]


async def main():
    release_a, release_c = asyncio.Event(), asyncio.Event()
    tasks = start(("a", release_a), ("b", 0.0), ("c", release_c))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("FIRST_COMPLETED done:", names(done), "pending:", names(pending))
    release_a.set()
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print("  again done:", names(done), "pending:", names(pending))
    release_c.set()
    done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
    print("  and again done:", names(done), "pending:", names(pending))

    tasks = start(("ok", 0.0), ("boom", 0.05, True), ("long", 10))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION done:", names(done), "pending:", names(pending))
    for t in sorted(done, key=lambda t: t.get_name()):
        print("  ", t.get_name(), "->", repr(t.exception()) if t.exception() else t.result())
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    print("  the pending one, cancelled:", [t.cancelled() for t in pending])

    tasks = start(("x", 0.0), ("y", 0.05))
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION without one waits for all:", names(done), names(pending))

    tasks = start(("p", 0.0), ("q", 0.05, True), ("r", 0.02))
    done, pending = await asyncio.wait(tasks)  # ALL_COMPLETED
    print("ALL_COMPLETED done:", names(done), "pending:", names(pending))
    print("  q raised:", repr(tasks[1].exception()))

    fast = asyncio.create_task(job("fast", 0.0), name="fast")
    await fast
    tasks = [fast, asyncio.create_task(job("sluggish", 10), name="sluggish")]
    done, pending = await asyncio.wait(tasks, timeout=0.05)
    print("timeout: done", names(done), "pending", names(pending), "(wait itself raises nothing)")
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)

    try:
        await asyncio.wait([])
    except ValueError:
        print("an empty set: ValueError")


asyncio.run(main())
