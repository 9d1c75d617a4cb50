# P4: asyncio.Queue(maxsize=100), one producer and one consumer, 1 000 000 items, on whatever
# loop asyncio.run gives. Prints one line per round: the round's milliseconds.
import asyncio
import sys
import time

ITEMS = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


async def round_():
    q = asyncio.Queue(maxsize=100)

    async def producer():
        for i in range(ITEMS):
            await q.put(i)
        await q.put(None)

    async def consumer():
        total = 0
        while (item := await q.get()) is not None:
            total += item
        return total

    _, total = await asyncio.gather(producer(), consumer())
    assert total == ITEMS * (ITEMS - 1) // 2


for _ in range(ROUNDS):
    start = time.perf_counter()
    asyncio.run(round_())
    print('%.1f' % ((time.perf_counter() - start) * 1000), flush=True)
