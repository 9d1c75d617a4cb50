# The execution model: a script's top level runs on the session's main thread, outside the
# runtime's workers; braid.run(coro) blocks it while the coroutine runs on the strand.
import threading

import braid
from braid_test import eq, raises

MAIN = threading.get_ident()


def test_run_returns_the_coroutines_value_and_runs_it_on_another_thread():
    async def main(x):
        await braid.sleep(0.001)
        return (x, threading.get_ident())
    value, where = braid.run(main(7))
    eq(value, 7)
    assert where != MAIN, 'the coroutine ran on the main thread'


def test_run_raises_the_coroutines_exception():
    async def bad():
        await braid.yield_now()
        raise LookupError('nope')
    with raises(LookupError, match='nope'):
        braid.run(bad())


def test_run_takes_braid_awaitables():
    eq(braid.run(braid.join(braid.sleep(0), braid.task(braid.sleep, 0))), [None, None])


def test_run_refuses_what_is_not_awaitable():
    with raises(TypeError, match=r'braid.run\(coro\): expected a coroutine'):
        braid.run(42)


def test_run_from_a_coroutine_is_an_error():
    async def nested():
        async def inner():
            return 1
        braid.run(inner())
    with raises(RuntimeError, match='cannot be called from a coroutine running on Braid'):
        braid.run(nested())


def test_top_level_calls_work_from_the_main_thread():
    ch = braid.channel()
    h = braid.spawn(ch.send, 'hello')  # started now, from the main thread
    eq(braid.run(ch.recv()), 'hello')
    eq(braid.run(h), None)
    eq(h.done(), True)


def test_main_thread_code_does_not_block_the_tasks():
    import time
    ch = braid.channel()

    async def ticker():
        for i in range(3):
            await ch.send(i)
            await braid.sleep(0.001)
    h = braid.spawn(ticker)
    time.sleep(0.2)  # a blocking call on the main thread: the task runs meanwhile
    eq(len(ch), 3)
    braid.run(h)


def test_an_exception_chain_crosses_braid_run():
    async def load():
        try:
            int('x')
        except ValueError as e:
            raise RuntimeError('could not load') from e
    with raises(RuntimeError, match='could not load') as r:
        braid.run(load())
    assert isinstance(r.value.__cause__, ValueError), r.value.__cause__
