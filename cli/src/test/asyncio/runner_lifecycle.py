# The loop's lifecycle: asyncio.Runner reuses one loop, run() cancels leftover tasks and closes async generators.
# Run it with:  ./braid run cli/src/test/asyncio/runner_lifecycle.py
import asyncio

log = []


async def remember(value):
    await asyncio.sleep(0)
    return value


async def lingering():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("lingering task cancelled at shutdown")
        raise
    finally:
        log.append("lingering finally")


async def counter():
    try:
        n = 0
        while True:
            yield n
            n += 1
    finally:
        log.append("generator closed at shutdown")


async def leave_things_behind():
    asyncio.create_task(lingering())
    gen = counter()
    await anext(gen)
    globals()["kept"] = gen  # still referenced: only the loop's shutdown closes it
    await asyncio.sleep(0)
    return "left things behind"


def main():
    with asyncio.Runner() as runner:
        first = runner.run(remember("one"))
        loop = runner.get_loop()
        second = runner.run(remember("two"))
        print("two runs:", first, second, "same loop:", runner.get_loop() is loop, "running:", loop.is_running())
        print("not closed between runs:", loop.is_closed())
    print("closed after the with block:", loop.is_closed())

    print(asyncio.run(leave_things_behind()))
    for line in log:
        print("  ", line)

    async def inner_run():
        coro = remember("x")
        try:
            asyncio.run(coro)
        except RuntimeError:
            print("asyncio.run inside a running loop: RuntimeError")
        finally:
            coro.close()

    asyncio.run(inner_run())

    async def which_loop():
        return asyncio.get_running_loop()

    loop = asyncio.run(which_loop())
    print("asyncio.run closes its loop:", loop.is_closed())
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        print("no running loop outside asyncio.run")


main()
