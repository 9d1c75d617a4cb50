# asyncio.timeout(): a deadline over a block, expired(), reschedule(), timeout_at and nesting.
# Run it with:  ./braid run cli/src/test/asyncio/timeout_context.py
import asyncio


async def main():
    async with asyncio.timeout(10) as cm:
        await asyncio.sleep(0.01)
    print("in time; expired:", cm.expired())

    try:
        async with asyncio.timeout(0.02) as cm:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("inside, the block sees CancelledError")
                raise
    except TimeoutError:
        print("outside, TimeoutError; expired:", cm.expired())

    async with asyncio.timeout(None) as cm:
        print("no deadline:", cm.when())
        cm.reschedule(asyncio.get_running_loop().time() + 10)
        print("rescheduled to a deadline:", cm.when() is not None)
        await asyncio.sleep(0.01)
    print("still in time; expired:", cm.expired())

    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout_at(loop.time() + 0.02):
            await asyncio.sleep(10)
    except TimeoutError:
        print("timeout_at: TimeoutError")

    # nested: the inner (sooner) deadline fires and is handled inside the outer block
    try:
        async with asyncio.timeout(10) as outer:
            try:
                async with asyncio.timeout(0.02) as inner:
                    await asyncio.sleep(10)
            except TimeoutError:
                print("inner expired:", inner.expired(), "outer expired:", outer.expired())
            await asyncio.sleep(0.01)
            print("the outer block goes on")
    except TimeoutError:
        print("not reached")

    # nested: the outer (sooner) deadline fires, the inner block does not claim it
    try:
        async with asyncio.timeout(0.02) as outer:
            try:
                async with asyncio.timeout(10) as inner:
                    await asyncio.sleep(10)
            except TimeoutError:
                print("not reached either")
    except TimeoutError:
        print("outer expired:", outer.expired(), "inner expired:", inner.expired())

    # a deadline already past still lets the block start, and the first await fails
    try:
        async with asyncio.timeout(-1):
            print("the block starts")
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("a past deadline: TimeoutError at the first await")


asyncio.run(main())
