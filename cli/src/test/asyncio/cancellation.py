# Cancellation: it reaches the task being awaited, finally blocks run, shield protects, uncancel.
# Run it with:  ./braid run cli/src/test/asyncio/cancellation.py
import asyncio

log = []


async def inner():
    try:
        await asyncio.sleep(10)
    finally:
        log.append("inner finally")


async def outer(child):
    try:
        await child
    except asyncio.CancelledError:
        log.append("outer saw CancelledError")
        raise
    finally:
        log.append("outer finally")


async def cleanup_needs_await():
    try:
        await asyncio.sleep(10)
    finally:
        # a finally block may still await after the cancellation
        await asyncio.sleep(0.01)
        log.append("awaited in finally")


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        log.append("stubborn swallowed the cancellation")
    return "stubborn result"


async def main():
    child = asyncio.create_task(inner())
    parent = asyncio.create_task(outer(child))
    await asyncio.sleep(0.01)
    parent.cancel()
    try:
        await parent
    except asyncio.CancelledError:
        log.append("main: parent cancelled")
    print("cancel the awaiting task:", log)
    print("  child cancelled too:", child.cancelled(), "parent cancelled:", parent.cancelled())
    log.clear()

    # cancelling the awaited task makes the awaiting one see CancelledError
    child = asyncio.create_task(inner())
    parent = asyncio.create_task(outer(child))
    await asyncio.sleep(0.01)
    child.cancel()
    await asyncio.gather(parent, return_exceptions=True)
    print("cancel the awaited task:", log)
    print("  parent cancelled:", parent.cancelled())
    log.clear()

    task = asyncio.create_task(cleanup_needs_await())
    await asyncio.sleep(0)
    task.cancel("stop now")
    try:
        await task
    except asyncio.CancelledError as e:
        print("with a message:", e.args, log)
    log.clear()

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    task.cancel()
    print("a task may refuse:", await task, task.cancelled(), log)
    log.clear()

    # shield: cancelling the waiter does not cancel the shielded work
    release = asyncio.Event()

    async def precious():
        await release.wait()
        log.append("precious finished")
        return 42

    work = asyncio.create_task(precious())

    async def waiter():
        return await asyncio.shield(work)

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0.01)
    w.cancel()
    try:
        await w
    except asyncio.CancelledError:
        print("the waiter was cancelled; the work is done:", work.done())
    release.set()
    print("the work finishes anyway:", await work, log)
    log.clear()

    # cancel() before the task ever ran: its code never starts
    started = []

    async def never():
        started.append(True)

    t = asyncio.create_task(never())
    print("cancel a task that has not started:", t.cancel())
    await asyncio.sleep(0)
    print("  started:", started, "cancelled:", t.cancelled(), "cancel again:", t.cancel())

    # cancelling() counts requests; uncancel() takes one back
    async def counts():
        me = asyncio.current_task()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append(f"cancelling={me.cancelling()}")
            me.uncancel()
            log.append(f"after uncancel={me.cancelling()}")
        return "carried on"

    t = asyncio.create_task(counts())
    await asyncio.sleep(0)
    t.cancel()
    t.cancel()
    print("counted:", await t, log)


asyncio.run(main())
