// JavaScript and Python in one job: braid.python(code) evaluates in the job's Python session.
test('Python values, functions and errors cross into JavaScript', async () => {
  assert.equal(await braid.python('1 + 1'), 2);
  assert.deepEqual(await braid.python("{'a': [1, 'two', None], 'b': {'c': True}}"), { a: [1, 'two', null], b: { c: true } });
  const triple = await braid.python('import braid\nasync def triple(x):\n    await braid.sleep(0.001)\n    return x * 3\ntriple');
  assert.equal(await triple(5), 15);
  const viaJs = await braid.python('async def call(fn, v):\n    return (await fn(v)) * 10\ncall');
  assert.equal(await viaJs(async (v) => v + 1, 4), 50);
  await assert.rejects(braid.python("int('x')"), { name: 'ValueError' });
});
