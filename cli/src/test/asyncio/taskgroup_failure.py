# A TaskGroup whose child fails: its siblings are cancelled and the failure arrives as an ExceptionGroup.
# Run it with:  ./braid run cli/src/test/asyncio/taskgroup_failure.py
import asyncio

log = []


async def sibling(name, delay):
    try:
        await asyncio.sleep(delay)
        log.append(f"{name} finished")
        return name
    except asyncio.CancelledError:
        log.append(f"{name} cancelled")
        raise


async def failing(delay, exc):
    await asyncio.sleep(delay)
    log.append(f"raising {exc!r}")
    raise exc


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(sibling("a", 0.02))
        b = tg.create_task(sibling("b", 0.0))
    print("all well:", a.result(), b.result(), log)

    log.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            quick = tg.create_task(sibling("quick", 0.0))
            tg.create_task(sibling("slow-1", 10))
            tg.create_task(failing(0.03, ValueError("bad value")))
            tg.create_task(sibling("slow-2", 10))
            await asyncio.sleep(10)
            log.append("body finished")  # not reached: the body is cancelled too
    except ExceptionGroup as eg:
        print("caught:", type(eg).__name__, "-", eg)
        for e in eg.exceptions:
            print("  ", repr(e))
    print("log:", sorted(log))  # the group cancels its tasks in no particular order
    print("quick still has its result:", quick.result())

    log.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            # both fail in the same loop iteration, before the group can cancel either
            tg.create_task(failing(0, KeyError("k")))
            tg.create_task(failing(0, TypeError("t")))
            tg.create_task(sibling("bystander", 10))
    except ExceptionGroup as eg:
        print("caught", len(eg.exceptions), "exceptions:", [repr(e) for e in eg.exceptions])
        key_errors, rest = eg.split(KeyError)
        print("  split KeyError:", [repr(e) for e in key_errors.exceptions], "rest:", [repr(e) for e in rest.exceptions])
    print("log:", sorted(log))

    # an exception in the body itself cancels the children and propagates in the group
    log.clear()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sibling("child", 10))
            await asyncio.sleep(0)
            raise RuntimeError("from the body")
    except ExceptionGroup as eg:
        print("body failure:", [repr(e) for e in eg.exceptions])
    print("log:", log)


asyncio.run(main())
