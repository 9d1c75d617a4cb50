# Weak references: their callbacks run once the Java GC has cleared them, wherever the
# session's code runs (its main thread, the strand's workers), so weakref.finalize works and
# a WeakSet (asyncio's set of tasks) forgets what is gone. GraalPy never calls __del__.
import asyncio
import gc
import io
import sys
import weakref

import braid
from braid_test import eq


class Thing:
    pass


def collect_until(done, tries=50):
    """Collects until done() (the callbacks run soon after a collection, on another thread)."""
    for _ in range(tries):
        if done():
            return True
        gc.collect()
    return done()


def test_a_callback_and_a_finalizer_run_once_the_object_is_gone():
    seen = []
    thing = Thing()
    ref = weakref.ref(thing, lambda r: seen.append('callback of the same ref' if r is ref else r))
    weakref.finalize(thing, seen.append, 'finalizer')
    del thing
    eq(collect_until(lambda: len(seen) == 2), True, repr(seen))
    eq(sorted(seen), ['callback of the same ref', 'finalizer'])
    eq(ref(), None)


async def test_callbacks_run_for_objects_dropped_on_the_strand():
    seen = []
    kept = weakref.WeakSet()

    async def drop(i):
        thing = Thing()
        kept.add(thing)
        weakref.finalize(thing, seen.append, i)
        await braid.sleep(0)
    for i in range(3):
        await braid.spawn(drop, i)
    eq(collect_until(lambda: len(seen) == 3), True, repr(seen))
    eq((sorted(seen), len(kept.data)), ([0, 1, 2], 0))


def test_asyncio_forgets_the_tasks_that_are_done():
    async def short(i):
        await asyncio.sleep(0)
        return i

    async def main():
        return sum(await asyncio.gather(*(short(i) for i in range(2000))))
    eq(asyncio.run(main()), 1999 * 1000)
    tasks = asyncio.tasks._scheduled_tasks
    eq(collect_until(lambda: len(tasks.data) < 20), True, '%d tasks left' % len(tasks.data))
    eq(len(tasks), len(tasks.data))


def test_what_a_finalizer_raises_is_printed_and_the_next_ones_still_run():
    seen = []
    err = io.StringIO()

    def boom():
        raise ValueError('in a finalizer')
    weakref.finalize(Thing(), boom)
    weakref.finalize(Thing(), seen.append, 'after')
    stderr, sys.stderr = sys.stderr, err
    try:
        eq(collect_until(lambda: seen == ['after'] and 'ValueError' in err.getvalue()), True, repr((seen, err.getvalue())))
    finally:
        sys.stderr = stderr
    text = err.getvalue()
    eq(text.startswith('Exception ignored in: <finalize object'), True, text)
    eq(text.endswith('in boom\nValueError: in a finalizer\n'), True, text)


def test_graalpy_calls_no_del_method():
    seen = []

    class WithDel:
        def __del__(self):
            seen.append('del')
    WithDel()
    marker = Thing()
    weakref.finalize(marker, seen.append, 'finalizer')
    del marker
    eq(collect_until(lambda: 'finalizer' in seen), True, repr(seen))
    eq(seen, ['finalizer'])


def test_a_task_exception_nobody_retrieved_is_reported_once_the_task_is_gone():
    async def fails(what):
        raise KeyError(what)

    async def main():
        reports = []
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda loop, context: reports.append(context))
        forgotten = asyncio.create_task(fails('forgotten'), name='forgotten')
        retrieved = asyncio.create_task(fails('retrieved'))
        await asyncio.sleep(0)
        eq((forgotten.done(), repr(retrieved.exception()), reports), (True, "KeyError('retrieved')", []))
        del forgotten, retrieved
        for _ in range(100):
            gc.collect()
            await asyncio.sleep(0.01)
            if reports:
                break
        await asyncio.sleep(0.05)  # a report of the retrieved one would come about as soon
        return reports
    reports = asyncio.run(main())
    eq([(r['message'], repr(r['exception'])) for r in reports],
       [('Task exception was never retrieved', "KeyError('forgotten')")])
    shown = repr(reports[0]['future'])
    eq(shown.startswith("<Task finished name='forgotten' coro=<fails() done, defined at "), True, shown)
    eq(shown.endswith("exception=KeyError('forgotten')>"), True, shown)
