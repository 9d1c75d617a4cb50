# P3: 100 000 asyncio tasks (asyncio.create_task) gathered, on whatever loop asyncio.run
# gives (Braid's under the braid command, asyncio's own under CPython). Prints one line per
# round: the round's milliseconds.
import asyncio
import sys
import time

TASKS = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 5


async def work(i):
    return i


async def round_():
    tasks = [asyncio.create_task(work(i)) for i in range(TASKS)]
    results = await asyncio.gather(*tasks)
    assert results[-1] == TASKS - 1


for _ in range(ROUNDS):
    start = time.perf_counter()
    asyncio.run(round_())
    print('%.1f' % ((time.perf_counter() - start) * 1000), flush=True)
