# loop.set_exception_handler: a failing callback and a task exception nobody retrieved reach the handler.
# Run it with:  ./braid run cli/src/test/asyncio/exception_handler.py
import asyncio
import gc

reports = []


def handler(loop, context):
    exc = context.get("exception")
    reports.append((context["message"].split(" ")[0:3], repr(exc)))


def broken_callback():
    raise ValueError("callback failed")


async def forgotten():
    raise KeyError("nobody awaits me")


async def main():
    loop = asyncio.get_running_loop()
    print("default handler at first:", loop.get_exception_handler())
    loop.set_exception_handler(handler)
    print("handler installed:", loop.get_exception_handler() is handler)

    loop.call_soon(broken_callback)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("after a failing callback:", reports)
    reports.clear()

    task = asyncio.create_task(forgotten())
    await asyncio.sleep(0)
    print("the task failed:", task.done(), "reported yet:", reports)
    del task  # its exception was never retrieved: reported when the task is collected
    for _ in range(500):  # collection may take a while on some implementations
        gc.collect()
        await asyncio.sleep(0.01)
        if reports:
            break
    print("after the task is collected:", reports)
    reports.clear()

    # a retrieved exception is not reported
    task = asyncio.create_task(forgotten())
    await asyncio.sleep(0)
    print("retrieved:", repr(task.exception()))
    del task
    gc.collect()
    await asyncio.sleep(0)
    print("reports:", reports)

    # call_exception_handler directly, with a message of one's own
    loop.call_exception_handler({"message": "custom report here", "exception": OSError("disk")})
    print("custom:", reports)
    reports.clear()

    loop.set_exception_handler(None)
    print("back to the default:", loop.get_exception_handler())


asyncio.run(main())
