# The loop's callbacks: call_soon in FIFO order, call_later and call_at by their time, handles cancelled.
# Run it with:  ./braid run cli/src/test/asyncio/callbacks_order.py
import asyncio

order = []


def note(what):
    order.append(what)


async def main():
    loop = asyncio.get_running_loop()

    # call_soon runs callbacks in the order they were scheduled, on the next iteration; a
    # callback scheduled by a callback waits for the iteration after; call_later(0) is due at once
    loop.call_later(0, note, "later 0")
    loop.call_soon(note, "soon 1")
    loop.call_soon(note, "soon 2")
    loop.call_soon(lambda: loop.call_soon(note, "soon from soon"))
    loop.call_soon(note, "soon 3")
    note("synchronous")
    await asyncio.sleep(0.01)
    print("call_soon:", order)
    order.clear()

    # timers run by their time, not by the order they were set
    done = loop.create_future()
    start = loop.time()
    loop.call_later(0.3, note, "later 0.3")
    loop.call_at(start + 0.2, note, "at start + 0.2")
    cancelled = loop.call_later(0.05, note, "cancelled: never")
    h = loop.call_later(0.1, note, "later 0.1")
    loop.call_later(0.4, done.set_result, None)  # after every other timer
    cancelled.cancel()
    await done
    print("handle cancelled:", cancelled.cancelled(), "other:", h.cancelled())
    print("a timer handle knows its time:", h.when() >= start + 0.1)
    print("timers:", order)

    # call_soon_threadsafe from the loop's own thread works like call_soon
    order.clear()
    loop.call_soon_threadsafe(note, "threadsafe")
    loop.call_soon(note, "soon")
    await asyncio.sleep(0)
    print("threadsafe then soon:", order)

    # a coroutine's steps interleave with callbacks in FIFO order
    order.clear()

    async def steps():
        for i in range(3):
            note(f"task step {i}")
            await asyncio.sleep(0)

    task = asyncio.create_task(steps())
    for i in range(3):
        loop.call_soon(note, f"callback {i}")
    await task
    print("interleaved:", order)


asyncio.run(main())
