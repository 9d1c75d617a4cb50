# JavaScript and Python in one job: braid.js(source) evaluates in the job's JavaScript
# session; data crosses as copies, functions and awaitables as proxies, errors by name.
import braid
from braid_test import eq, raises


async def test_data_crosses_as_copies():
    eq(await braid.js('1 + 2'), 3)
    v = await braid.js("({a: [1, 'two', null], b: {c: true, d: 1.5}})")
    eq(v, {'a': [1, 'two', None], 'b': {'c': True, 'd': 1.5}})
    eq((type(v), type(v['a'])), (dict, list))
    eq(await braid.js("const kept = 'declarations stay'; await braid.sleep(1); kept"), 'declarations stay')
    eq(await braid.js('kept'), 'declarations stay', 'one JavaScript session per job')


async def test_functions_and_awaitables_cross_both_ways():
    double = await braid.js('async (x) => { await braid.sleep(1); return x * 2; }')
    eq(await double(21), 42)
    eq(await braid.js("braid.sleep(5).then(() => 'late')"), 'late')

    async def square(x):
        await braid.sleep(0.001)
        return x * x
    apply = await braid.js('async (fn, v) => (await fn(v)) + 1')
    eq(await apply(square, 6), 37)
    identity = await braid.js('(f) => f')
    assert (await identity(square)) is square, 'a function that goes back home is itself again'
    eq(await braid.join(double(1), double(2)), [2, 4])


async def test_errors_cross_with_their_name_and_position():
    with raises(RuntimeError, match=r"TypeError: Cannot read property 'x' of null \(<from Python>:1:1\)"):
        await braid.js('null.x')
    thrower = await braid.js("() => { throw new RangeError('too far'); }")
    with raises(RuntimeError, match='RangeError: too far'):
        await thrower()

    class Point:
        pass
    send = await braid.js('(p) => p')
    with raises(ValueError, match='a Python object of Point cannot cross to JavaScript'):
        await send(Point())


async def test_cancelling_a_wait_cancels_the_call_in_the_other_session():
    forever = await braid.js('async () => { await braid.sleep(60000); }')
    with raises(TimeoutError):
        await braid.timeout(0.05, forever())
    await braid.sleep(0.01)
    eq(await braid.js("braid.taskDump().filter((t) => t.name === 'call from Python').length"), 0)


def test_javascript_awaits_an_asyncio_task_and_a_coroutine_that_uses_asyncio():
    import asyncio

    async def main():
        shout = await braid.js("(async (awaitable) => (await awaitable) + '!')")
        task = asyncio.create_task(asyncio.sleep(0.01, result='task'))

        async def coroutine():
            await asyncio.sleep(0.01)
            return 'coroutine'
        return await shout(task), await shout(coroutine())
    eq(asyncio.run(main()), ('task!', 'coroutine!'))
