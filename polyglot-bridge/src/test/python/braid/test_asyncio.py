# asyncio on Braid: asyncio.run uses Braid's event loop, whose callbacks and tasks run on
# the session's strand while the calling thread waits.
import asyncio
import threading

import braid
from braid_test import eq, raises


def test_asyncio_run_uses_braids_loop_off_the_calling_thread():
    here = threading.get_ident()

    async def main():
        loop = asyncio.get_running_loop()
        with raises(RuntimeError, match='already running'):
            loop.run_until_complete(loop.create_future())
        return type(loop).__name__, threading.get_ident() != here, loop.is_running()
    eq(asyncio.run(main()), ('BraidEventLoop', True, True))
    eq(type(asyncio.new_event_loop()).__name__, 'BraidEventLoop')


def test_gather_wait_for_queue_and_call_later_order_as_in_cpython():
    async def worker(name, delay, out):
        await asyncio.sleep(delay)
        out.append(name)
        return name.upper()

    async def main():
        out = []
        results = await asyncio.gather(worker('b', 0.2, out), worker('a', 0.1, out), worker('c', 0, out))
        timed_out = False
        try:
            await asyncio.wait_for(asyncio.sleep(10), 0.02)
        except TimeoutError:
            timed_out = True
        q = asyncio.Queue(maxsize=2)

        async def producer():
            for i in range(5):
                await q.put(i)
            await q.put(None)

        async def consumer():
            got = []
            while (item := await q.get()) is not None:
                got.append(item)
            return got
        _, got = await asyncio.gather(producer(), consumer())
        order = []
        loop = asyncio.get_running_loop()
        loop.call_later(0.02, order.append, 'later')
        loop.call_later(0.01, order.append, 'sooner')
        loop.call_soon(order.append, 'soon')
        await asyncio.sleep(0.04)
        return results, out, timed_out, got, order
    eq(asyncio.run(main()), (['B', 'A', 'C'], ['c', 'a', 'b'], True, [0, 1, 2, 3, 4], ['soon', 'sooner', 'later']))


def test_cancellation_runs_finally_and_a_failing_task_is_raised():
    log = []

    async def sleeper():
        try:
            await asyncio.sleep(10)
        finally:
            log.append('finally')

    async def main():
        t = asyncio.create_task(sleeper())
        await asyncio.sleep(0)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            log.append('cancelled')
        raise KeyError('from the task')
    with raises(KeyError, match='from the task'):
        asyncio.run(main())
    eq(log, ['finally', 'cancelled'])


def test_a_loop_runs_again_and_closes():
    loop = asyncio.new_event_loop()
    eq(loop.run_until_complete(asyncio.sleep(0, 'first')), 'first')
    eq(loop.run_until_complete(asyncio.sleep(0.001, 'second')), 'second')
    loop.close()
    assert loop.is_closed()
    with raises(RuntimeError, match='closed'):
        loop.run_until_complete(asyncio.sleep(0))


def test_call_soon_threadsafe_wakes_the_loop_from_a_blocking_thread():
    async def main():
        loop = asyncio.get_running_loop()
        fut = loop.create_future()

        def elsewhere():
            loop.call_soon_threadsafe(fut.set_result, 'woken')
        braid.spawn_blocking(elsewhere)  # started now; nobody awaits it
        return await asyncio.wait_for(fut, 5)
    eq(asyncio.run(main()), 'woken')


def test_braid_and_asyncio_awaitables_mix_in_one_coroutine():
    async def main():
        ch = braid.channel()
        await braid.sleep(0.001)
        braid_task = braid.spawn(ch.send, 'over a braid channel')
        got = await asyncio.wait_for(ch.recv(), 5)
        await braid_task
        both = await asyncio.gather(braid.sleep(0.001), asyncio.sleep(0.001, 'asyncio'))
        # cancelling the asyncio side aborts the braid wait
        slow = braid.task(braid.sleep, 10)
        try:
            await asyncio.wait_for(slow, 0.01)
        except TimeoutError:
            timed_out = True
        return got, both, timed_out
    eq(asyncio.run(main()), ('over a braid channel', [None, 'asyncio'], True))


def test_a_task_group_cancels_the_rest_when_a_child_fails():
    async def child(n, fail=False):
        await asyncio.sleep(0.001 * n)
        if fail:
            raise ValueError('child %d failed' % n)
        return n

    async def main():
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(child(1))
            b = tg.create_task(child(2))
        slow = None
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(child(1, fail=True))
                slow = tg.create_task(child(5000))
        except ExceptionGroup as eg:
            return a.result(), b.result(), [str(e) for e in eg.exceptions], slow.cancelled()
    eq(asyncio.run(main()), (1, 2, ['child 1 failed'], True))


def test_to_thread_and_run_in_executor_use_the_blocking_pool():
    import time

    def slow_square(x):
        time.sleep(0.01)
        return x * x, threading.get_ident()

    def fails():
        raise LookupError('from the pool')

    async def main():
        loop = asyncio.get_running_loop()
        here = threading.get_ident()
        (a, where), (b, _) = await asyncio.gather(asyncio.to_thread(slow_square, 3), loop.run_in_executor(None, slow_square, 4))
        try:
            await asyncio.to_thread(fails)
        except LookupError as e:
            failed = str(e)
        return a, b, where != here, failed
    eq(asyncio.run(main()), (9, 16, True, 'from the pool'))



def test_a_task_cancelled_while_waiting_to_enter_a_lock_or_semaphore_releases_nothing():
    async def main():
        out = []
        for make in (asyncio.Lock, lambda: asyncio.Semaphore(1)):
            lock = make()
            await lock.acquire()

            async def waiter():
                async with lock:
                    out.append('entered')
            t = asyncio.create_task(waiter())
            await asyncio.sleep(0)
            t.cancel()
            try:
                await t
            except asyncio.CancelledError:
                out.append('cancelled')
            out.append(lock.locked())  # still held by main
            lock.release()
        return out
    eq(asyncio.run(main()), ['cancelled', True, 'cancelled', True])
