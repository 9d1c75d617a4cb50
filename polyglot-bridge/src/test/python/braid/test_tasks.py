# braid's task functions from Python: spawn, task, join, try_join, select, race, sleep,
# yield_now, timeout, interval, task_dump.
import braid
from braid_test import eq, raises


async def test_spawn_returns_an_awaitable_handle_with_id_done_and_abort():
    async def double(x):
        await braid.sleep(0.001)
        return x * 2
    h = braid.spawn(double, 21)
    assert isinstance(h.id, int) and h.id > 0, h.id
    eq(h.done(), False)
    eq(await h, 42)
    eq(h.done(), True)
    eq(await h, 42, 'a handle can be awaited again')


async def test_spawn_takes_a_coroutine_object_too():
    async def value():
        return 'coro'
    eq(await braid.spawn(value()), 'coro')


async def test_a_task_exception_is_raised_where_its_handle_is_awaited():
    async def bad():
        await braid.yield_now()
        raise KeyError('missing')
    with raises(KeyError, match='missing'):
        await braid.spawn(bad)


async def test_spawn_rejects_what_cannot_run():
    with raises(TypeError, match='fn must be a coroutine function or an awaitable, got 42'):
        braid.spawn(42)


async def test_spawn_starts_at_once_but_task_only_when_awaited():
    log = []

    async def mark(name):
        log.append(name)
        return name
    lazy = braid.task(mark, 'lazy')
    eager = braid.spawn(mark, 'eager')
    await braid.sleep(0.01)
    eq(log, ['eager'], 'the spawned one ran, the lazy one did not')
    eq(await lazy, 'lazy')
    eq(log, ['eager', 'lazy'])
    await eager


async def test_join_gives_values_in_argument_order():
    async def after(seconds, v):
        await braid.sleep(seconds)
        return v
    eq(await braid.join(braid.task(after, 0.03, 'a'), braid.task(after, 0.01, 'b'), braid.sleep(0)), ['a', 'b', None])
    eq(await braid.join([braid.task(after, 0, 1), braid.task(after, 0, 2)]), [1, 2])
    eq(type(await braid.join([])), list)


async def test_try_join_cancels_the_rest_at_the_first_exception():
    seen = []

    async def slow():
        try:
            await braid.sleep(10)
        finally:
            seen.append('slow cleaned up')

    async def fails():
        await braid.sleep(0.01)
        raise ValueError('boom')
    with raises(ValueError, match='boom'):
        await braid.try_join(braid.task(slow), braid.task(fails))
    eq(seen, ['slow cleaned up'])


async def test_select_with_a_dict_gives_the_key_and_cancels_the_losers():
    cleaned = []

    async def slow():
        try:
            await braid.sleep(10)
            return 'slow'
        finally:
            cleaned.append('slow')

    async def quick():
        await braid.sleep(0.01)
        return 'quick'
    key, value = await braid.select({'slow': braid.task(slow), 'quick': braid.task(quick)})
    eq((key, value), ('quick', 'quick'))
    eq(cleaned, ['slow'])


async def test_select_with_a_list_gives_the_index():
    r = await braid.select([braid.sleep(5), braid.task(braid.sleep, 0)])
    eq(r, (1, None))
    eq(type(r), tuple)
    eq(await braid.select(braid.sleep(5), braid.yield_now()), (1, None))


async def test_race_gives_the_first_value():
    async def after(seconds, v):
        await braid.sleep(seconds)
        return v
    eq(await braid.race(braid.task(after, 1, 'late'), braid.task(after, 0.001, 'early')), 'early')


async def test_timeout_raises_the_builtin_timeout_error_and_cancels():
    cleaned = []

    async def slow():
        try:
            await braid.sleep(10)
        finally:
            cleaned.append(True)
    with raises(TimeoutError, match='timed out after 20 ms'):
        await braid.timeout(0.02, braid.task(slow))
    eq(cleaned, [True])
    eq(await braid.timeout(1, braid.sleep(0)), None)


async def test_an_aborted_task_raises_cancelled_error_and_runs_its_finally():
    log = []

    async def waits():
        try:
            await braid.sleep(10)
        except braid.CancelledError:
            log.append('cancelled')
            raise
        finally:
            log.append('finally')
    h = braid.spawn(waits)
    await braid.sleep(0.01)
    h.abort()
    with raises(braid.CancelledError):
        await h
    eq(log, ['cancelled', 'finally'])
    eq(h.done(), True)


async def test_cancelled_error_propagates_through_awaits():
    log = []

    async def inner():
        try:
            await braid.sleep(10)
        finally:
            log.append('inner')

    async def outer():
        try:
            await inner()
        finally:
            log.append('outer')
    h = braid.spawn(outer)
    await braid.sleep(0.01)
    h.abort()
    with raises(braid.CancelledError):
        await h
    eq(log, ['inner', 'outer'])


async def test_bad_times_are_errors_at_the_call():
    with raises(TypeError, match=r"braid.sleep\(seconds\): expected a number of seconds, got '1'"):
        braid.sleep('1')
    with raises(ValueError, match='NaN'):
        braid.timeout(float('nan'), braid.sleep(0))
    with raises(ValueError, match='positive number of seconds'):
        braid.interval(0)


async def test_interval_ticks_in_seconds_and_stops():
    iv = braid.interval(0.01)
    first = await iv.tick()
    second = await iv.tick()
    eq(first, 0.0)
    assert 0.009 <= second < 1, second
    iv.stop()
    with raises(braid.ClosedError):
        await iv.tick()


async def test_task_dump_lists_the_sessions_tasks_by_name():
    async def sleeper():
        await braid.sleep(10)
    h = braid.spawn(sleeper)
    await braid.yield_now()
    dump = braid.task_dump()
    mine = [t for t in dump if t['id'] == h.id]
    eq(len(mine), 1, str(dump))
    eq(mine[0]['name'], 'sleeper')
    assert 'waits_on' in mine[0] and 'spawn_site' in mine[0], mine[0]
    h.abort()


async def test_host_futures_are_awaitable():
    eq(await host_delay(5, 'from java'), 'from java')


async def test_spawn_blocking_runs_a_python_function_off_the_strand():
    import threading
    import time

    def work(n):
        time.sleep(0.01)
        return (n * 2, threading.get_ident())
    value, thread = await braid.spawn_blocking(work, 21)
    eq(value, 42)
    assert thread != threading.get_ident(), 'ran on the thread of the awaiting coroutine'


async def test_cancelled_error_is_asyncios_own_even_when_asyncio_is_imported_later():
    async def waits():
        await braid.sleep(10)
    h = braid.spawn(waits)
    await braid.yield_now()
    h.abort()
    try:
        await h
    except BaseException as e:
        caught = e
    import asyncio
    assert type(caught) is asyncio.CancelledError, type(caught)
    assert isinstance(caught, asyncio.exceptions.CancelledError)
