# Context variables: each task runs in a copy of its creator's context; callbacks take one; changes stay local.
# Run it with:  ./braid run cli/src/test/asyncio/context_vars.py
import asyncio
import contextvars

user = contextvars.ContextVar("user", default="anonymous")
seen = []


async def handler(name, delay=0.0):
    seen.append(f"{name} starts as {user.get()}")
    user.set(name)
    await asyncio.sleep(delay)
    seen.append(f"{name} still {user.get()}")
    return await nested()


async def nested():
    # a coroutine awaited directly shares its caller's context
    return f"nested sees {user.get()}"


def callback(label):
    seen.append(f"{label}: {user.get()}")


async def main():
    print("at first:", user.get())
    user.set("admin")
    results = await asyncio.gather(handler("ann", 0.01), handler("bob", 0.02))
    print("results:", results)
    for line in seen:
        print("  ", line)
    print("main is still:", user.get())
    seen.clear()

    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    user.set("changed later")
    loop.call_soon(callback, "soon, current context")
    loop.call_soon(callback, "soon, the copy", context=ctx)
    await asyncio.sleep(0)
    print("callbacks:", seen)
    seen.clear()

    # a task created with an explicit context runs in that one
    other = contextvars.Context()
    task = asyncio.create_task(handler("carol"), context=other)
    print("with an empty context:", await task, seen[0])
    print("the explicit context kept carol's change:", other[user], "main:", user.get())


asyncio.run(main())
print("outside asyncio.run:", user.get())
