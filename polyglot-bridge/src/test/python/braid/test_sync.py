# braid's channels, locks and join sets from Python.
import braid
from braid_test import eq, raises


async def test_a_channel_carries_values_in_order_and_async_for_ends_at_close():
    ch = braid.channel(2)

    async def produce():
        for i in range(5):
            await ch.send(i)
        await ch.send(None)  # None is a value like any other
        ch.close()
    p = braid.spawn(produce)
    got = [v async for v in ch]
    eq(got, [0, 1, 2, 3, 4, None])
    await p
    eq(await ch.recv(), None, 'closed and drained')
    with raises(braid.ClosedError, match='the channel is closed'):
        ch.send(1)


async def test_a_bounded_send_waits_for_room_and_a_lost_select_sends_nothing():
    ch = braid.channel(1)
    await ch.send('a')
    r = await braid.select({'send': ch.send('b'), 'later': braid.sleep(0.01)})
    eq(r, ('later', None))
    eq(len(ch), 1)
    eq(await ch.recv(), 'a')
    eq(len(ch), 0, 'the send that lost the select was not made')


async def test_channel_capacity_is_checked():
    with raises(ValueError, match='at least 1'):
        braid.channel(0)
    with raises(TypeError, match='expected an integer'):
        braid.channel('3')
    eq(braid.channel().closed, False)


async def test_a_cancelled_recv_takes_nothing():
    ch = braid.channel()
    with raises(TimeoutError):
        await braid.timeout(0.01, ch.recv())
    await ch.send('kept')
    eq(await ch.recv(), 'kept')


async def test_oneshot_watch_and_broadcast():
    o = braid.oneshot()
    eq(o.send({'answer': 42}), True)
    eq(await o, {'answer': 42})
    closed = braid.oneshot()
    closed.close()
    with raises(braid.ClosedError):
        await closed.recv()

    w = braid.watch('v0')
    rx = w.subscribe()
    waiter = braid.spawn(rx.changed)
    await braid.yield_now()
    w.send('v1')
    await waiter
    eq(rx.borrow_and_update(), 'v1')
    eq(w.borrow(), 'v1')

    b = braid.broadcast(4)
    r1, r2 = b.subscribe(), b.subscribe()
    eq(b.receiver_count, 2)
    eq(b.send('x'), 2)
    b.close()
    eq([v async for v in r1], ['x'])
    eq(await r2.recv(), 'x')
    eq(await r2.recv(), None)


async def test_broadcast_receivers_that_fall_behind_get_lagged_error():
    b = braid.broadcast(1)
    r = b.subscribe()
    b.send(1)
    b.send(2)
    with raises(braid.LaggedError) as lagged:
        await r.recv()
    eq(lagged.value.skipped, 1)
    eq(await r.recv(), 2)


async def test_semaphore_bounds_concurrency_with_async_with():
    sem = braid.Semaphore(2)
    running = [0]
    peak = [0]

    async def work(i):
        async with sem:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            await braid.sleep(0.005)
            running[0] -= 1
        return i
    eq(await braid.join([braid.task(work, i) for i in range(6)]), list(range(6)))
    eq(peak[0], 2)
    eq(sem.available, 2)
    permit = await sem.acquire(2)
    eq(sem.available, 0)
    eq(permit.permits, 2)
    permit.release()
    permit.release()
    eq(sem.available, 2, 'a second release does nothing')


async def test_mutex_guards_a_value():
    m = braid.Mutex(0)

    async def add():
        for _ in range(10):
            async with m as guard:
                v = guard.value
                await braid.yield_now()
                guard.value = v + 1
    await braid.join([braid.task(add) for _ in range(3)])
    g = await m.acquire()
    eq(g.value, 30)
    eq(m.locked, True)
    g.release()
    eq(m.locked, False)
    with raises(RuntimeError, match='after release'):
        g.value


async def test_a_join_set_joins_in_finishing_order():
    s = braid.JoinSet()

    async def after(seconds, v):
        await braid.sleep(seconds)
        return v
    s.spawn(after, 0.03, 'slow')
    s.spawn(after, 0.001, 'fast')
    eq(len(s), 2)
    eq(await s.join_next(), 'fast')
    eq(await s.join_next(), 'slow')
    eq(await s.join_next(), None)
    t = s.spawn(after, 10, 'never')
    s.abort_all()
    with raises(braid.CancelledError):
        await s.join_next()
    eq(t.done(), True)
    eq(len(s), 0)
