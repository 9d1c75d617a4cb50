# Fan-out bounded by an asyncio.Semaphore: twelve jobs, never more than three at once.
# Run it with:  ./braid run cli/src/test/asyncio/semaphore_fanout.py
import asyncio

running = 0
most = 0


async def job(sem, n):
    global running, most
    async with sem:
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01 * (n % 3))
        running -= 1
    return n * 10


async def main():
    sem = asyncio.Semaphore(3)
    results = await asyncio.gather(*(job(sem, n) for n in range(12)))
    print("results:", results)
    print("most at once:", most, "running now:", running)
    print("semaphore free again:", not sem.locked())

    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    print("bounded locked:", bounded.locked())
    bounded.release()
    try:
        bounded.release()
    except ValueError:
        print("releasing a BoundedSemaphore too often: ValueError")

    # waiters acquire in the order they asked
    order = []
    sem = asyncio.Semaphore(0)

    async def waiter(name):
        async with sem:
            order.append(name)

    tasks = [asyncio.create_task(waiter(name)) for name in "abcd"]
    await asyncio.sleep(0)
    for _ in tasks:
        sem.release()
    await asyncio.gather(*tasks)
    print("acquired in order:", order)


asyncio.run(main())
