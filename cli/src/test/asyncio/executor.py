# Blocking functions off the loop: loop.run_in_executor(None, f) and asyncio.to_thread, results and exceptions.
# Run it with:  ./braid run cli/src/test/asyncio/executor.py
import asyncio
import contextvars
import threading

request = contextvars.ContextVar("request", default="none")


def checksum(data, rounds):
    # plain blocking work: no awaits
    total = 0
    for _ in range(rounds):
        for b in data:
            total = (total * 31 + b) % 1_000_003
    return total


def fails():
    raise ZeroDivisionError("in the worker")


def handshake(go, back):
    # a blocking wait on a threading.Event the loop sets: this runs on another thread
    go.wait()
    back.set()
    return "shook hands"


def current_request():
    return request.get()


async def main():
    loop = asyncio.get_running_loop()
    print("run_in_executor:", await loop.run_in_executor(None, checksum, b"braid", 100))
    print("to_thread:", await asyncio.to_thread(checksum, b"braid", 100))
    print("with keyword arguments:", await asyncio.to_thread(sorted, [3, 1, 2], reverse=True))

    try:
        await loop.run_in_executor(None, fails)
    except ZeroDivisionError as e:
        print("an exception comes back:", repr(e))

    # the loop stays free while the worker waits
    go, back = threading.Event(), threading.Event()
    worker = asyncio.create_task(asyncio.to_thread(handshake, go, back))
    ticks = 0
    for _ in range(3):
        await asyncio.sleep(0.01)
        ticks += 1
    print("the loop ran while the worker was blocked:", ticks, "ticks; done:", worker.done())
    go.set()
    print("worker:", await worker, back.is_set())

    # several at once, results in argument order
    results = await asyncio.gather(*(asyncio.to_thread(checksum, bytes([n]), 10) for n in range(5)))
    print("gathered:", results)

    # to_thread carries the caller's context variables
    request.set("req-42")
    print("context in the worker:", await asyncio.to_thread(current_request))


asyncio.run(main())
