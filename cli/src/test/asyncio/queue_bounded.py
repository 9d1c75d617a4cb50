# A bounded asyncio.Queue between a producer and two consumers, with task_done() and join().
# Run it with:  ./braid run cli/src/test/asyncio/queue_bounded.py
import asyncio


async def producer(queue, items, sizes):
    for item in items:
        await queue.put(item)  # waits while the queue is full
        sizes.append(queue.qsize())


async def consumer(name, queue, done):
    while True:
        item = await queue.get()
        try:
            await asyncio.sleep(0.01)
            done.append((item, item * item))
        finally:
            queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    print("maxsize:", queue.maxsize, "empty:", queue.empty(), "full:", queue.full())
    sizes, done = [], []
    consumers = [asyncio.create_task(consumer(f"c{i}", queue, done)) for i in range(2)]
    await producer(queue, range(8), sizes)
    print("the producer is done; the queue never held more than", max(sizes))
    await queue.join()  # every item put has been marked task_done
    print("joined; empty:", queue.empty())
    print("processed:", sorted(done))
    for c in consumers:
        c.cancel()
    results = await asyncio.gather(*consumers, return_exceptions=True)
    print("consumers:", [type(r).__name__ for r in results])

    q = asyncio.Queue(maxsize=1)
    q.put_nowait("x")
    try:
        q.put_nowait("y")
    except asyncio.QueueFull:
        print("put_nowait on a full queue: QueueFull")
    print("get_nowait:", q.get_nowait())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait on an empty queue: QueueEmpty")
    try:
        q.task_done()
        q.task_done()
    except ValueError as e:
        print("task_done too often: ValueError")

    pq = asyncio.PriorityQueue()
    for p in (3, 1, 2):
        pq.put_nowait((p, f"priority {p}"))
    print("priority:", [pq.get_nowait()[1] for _ in range(3)])
    lq = asyncio.LifoQueue()
    for x in "abc":
        lq.put_nowait(x)
    print("lifo:", [lq.get_nowait() for _ in range(3)])


asyncio.run(main())
