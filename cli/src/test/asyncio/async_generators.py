# Async generators: async for, async comprehensions, asend/athrow, and aclose running the generator's finally.
# Run it with:  ./braid run cli/src/test/asyncio/async_generators.py
import asyncio
import contextlib

log = []


async def ticker(n):
    try:
        for i in range(n):
            await asyncio.sleep(0)
            yield i
    finally:
        log.append(f"ticker({n}) finally")


async def echo():
    received = None
    try:
        while True:
            try:
                received = yield f"got {received}"
            except ValueError as e:
                received = f"error {e}"
    finally:
        await asyncio.sleep(0)  # a finally block in an async generator may await
        log.append("echo closed")


@contextlib.asynccontextmanager
async def resource(name):
    log.append(f"open {name}")
    try:
        yield name.upper()
    finally:
        log.append(f"close {name}")


async def main():
    async for i in ticker(3):
        print("tick", i)
    print("log:", log)
    log.clear()

    print("comprehension:", [i * i async for i in ticker(4) if i % 2 == 0])
    log.clear()

    gen = ticker(10)
    async for i in gen:
        if i == 2:
            break
    print("broke out at 2; finally run yet:", log)
    await gen.aclose()
    print("after aclose:", log)
    log.clear()

    gen = echo()
    print(await gen.asend(None))
    print(await gen.asend("hello"))
    print(await gen.athrow(ValueError("oops")))
    print(await anext(gen))
    await gen.aclose()
    print("log:", log)
    try:
        await anext(gen)
    except StopAsyncIteration:
        print("a closed generator: StopAsyncIteration")
    log.clear()

    async with resource("db") as r:
        log.append(f"using {r}")
    print("context manager:", log)
    log.clear()

    try:
        async with resource("file"):
            raise KeyError("inside")
    except KeyError:
        log.append("KeyError passed through")
    print("context manager with an error:", log)
    log.clear()

    async with contextlib.aclosing(ticker(5)) as gen:
        async for i in gen:
            if i == 1:
                break
    print("aclosing:", log)
    log.clear()

    # a generator left unfinished is closed by asyncio.run when the loop shuts down
    global leftover
    leftover = ticker(100)
    print("first of the leftover:", await anext(leftover))


asyncio.run(main())
print("after asyncio.run:", log)
