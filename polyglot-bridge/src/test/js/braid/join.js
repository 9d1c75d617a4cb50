// braid.join waits for everything and keeps argument order; braid.tryJoin stops at the first
// rejection and cancels the rest.

const delayed = (ms, value, log) => braid.task(async () => {
  await braid.sleep(ms);
  if (log) log.push(value);
  return value;
});

test('join returns values in argument order, whatever order they finish in', async () => {
  const finished = [];
  const handle = braid.spawn(async () => { await braid.sleep(100); finished.push('handle'); return 'handle'; });
  let resolvePromise;
  const promise = new Promise((r) => { resolvePromise = r; });
  braid.sleep(5).then(() => { finished.push('promise'); resolvePromise('promise'); });
  const obj = { plain: true };
  const result = await braid.join(
    delayed(250, 'task', finished), // finishes last
    handle,
    promise,                       // finishes first
    braid.sleep(10).then(() => 'thenable'),
    42, 'text', null, obj);
  assert.deepEqual(result, ['task', 'handle', 'promise', 'thenable', 42, 'text', null, { plain: true }]);
  assert.equal(result[7], obj, 'a plain object must come back as the same object');
  assert.deepEqual(finished, ['promise', 'handle', 'task']);
});

test('join takes an array as well as arguments', async () => {
  assert.deepEqual(await braid.join([delayed(10, 'a'), 'b', Promise.resolve('c')]), ['a', 'b', 'c']);
  assert.deepEqual(await braid.join([]), []);
  assert.deepEqual(await braid.join(), []);
});

test('join gives a real array that array methods work on', async () => {
  const r = await braid.join(1, 2, 3);
  assert.ok(Array.isArray(r));
  assert.equal(r.length, 3);
  assert.deepEqual(r.map((x) => x * 10), [10, 20, 30]);
  assert.equal(JSON.stringify(r), '[1,2,3]');
});

test('join runs its tasks concurrently', async () => {
  const t0 = Date.now();
  await braid.join(delayed(300, 1), delayed(300, 2), delayed(300, 3), braid.sleep(300));
  const took = Date.now() - t0;
  assert.ok(took < 1100, 'four 300 ms waits took ' + took + ' ms: they did not overlap');
});

test('join lets every task finish, then rejects with the first failure in argument order', async () => {
  const finished = [];
  const e = await assert.rejects(braid.join(
    delayed(40, 'slow', finished),
    braid.task(async () => { await braid.sleep(20); throw new RangeError('second'); }),
    braid.task(async () => { await braid.sleep(5); throw new TypeError('first to fail'); })),
  'RangeError');
  assert.equal(e.message, 'second');
  assert.deepEqual(finished, ['slow'], 'join must not cancel the other tasks');
});

test('tryJoin returns every value in argument order when nothing fails', async () => {
  assert.deepEqual(await braid.tryJoin(delayed(20, 'a'), braid.spawn(async () => 'b'), Promise.resolve('c'), 'd'),
    ['a', 'b', 'c', 'd']);
  assert.deepEqual(await braid.tryJoin([delayed(5, 1), 2]), [1, 2]);
});

test('tryJoin rejects with the first rejection in time and cancels the rest', async () => {
  const progress = [];
  const slowTask = braid.task(async () => {
    progress.push('task: before');
    await braid.sleep(300);
    progress.push('task: after');
  });
  const handle = braid.spawn(async () => {
    progress.push('handle: before');
    await braid.sleep(300);
    progress.push('handle: after');
  });
  const err = new RangeError('fast failure');
  const late = braid.task(async () => { await braid.sleep(300); throw new TypeError('late failure'); });
  const fast = braid.task(async () => { await braid.sleep(5); throw err; });
  const e = await assert.rejects(braid.tryJoin(slowTask, handle, late, fast), 'RangeError');
  assert.equal(e, err, 'the rejection must be the guest error itself');
  assert.deepEqual(progress.slice().sort(), ['handle: before', 'task: before'], 'tryJoin waited for the others');

  await braid.sleep(400);
  for (let i = 0; i < 10; i++) await braid.yieldNow();
  assert.deepEqual(progress.slice().sort(), ['handle: before', 'task: before'], 'a cancelled task resumed');
  assert.equal(handle.isFinished(), true);
  await assert.rejects(handle, 'AbortError');
});

test('a synchronous throw in a joined task is a rejection, not an exception from join', async () => {
  const j = braid.join(braid.task(() => { throw new SyntaxError('sync'); }));
  await assert.rejects(j, { name: 'SyntaxError', message: 'sync' });
});

test('join of a few thousand handles gives every value in order', async () => {
  const hs = [];
  for (let i = 0; i < 3000; i++) hs.push(braid.spawn(async (x) => x * 2, i));
  const out = await braid.join(hs);
  assert.equal(out.length, 3000);
  for (let i = 0; i < 3000; i++) assert.equal(out[i], i * 2);
});
