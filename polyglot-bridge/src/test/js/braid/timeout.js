// braid.timeout(ms, awaitable): the awaitable's value, or a TimeoutError once ms have
// passed; the inner task is then cancelled.

test('timeout rejects with a TimeoutError', async () => {
  const t0 = Date.now();
  const e = await assert.rejects(braid.timeout(20, braid.sleep(60000)), 'TimeoutError');
  assert.ok(e instanceof Error, 'a TimeoutError is an Error');
  assert.match(e.message, /timed out/);
  assert.ok(Date.now() - t0 >= 19, 'the timeout fired early');
});

test('a TimeoutError points at the timeout(...) call', async () => {
  const line = Number(/:(\d+):\d+\)?\s*$/.exec(new Error().stack.split('\n')[1])[1]) + 1;
  const p = braid.timeout(5, braid.sleep(60000));
  const e = await assert.rejects(p, 'TimeoutError');
  assert.equal(e.message, 'timed out after 5 ms');
  assert.match(e.stack, new RegExp('timeout\\.js:' + line + ':\\d+'), e.stack);
  const frac = await assert.rejects(braid.timeout(1.5, braid.sleep(60000)), 'TimeoutError');
  assert.equal(frac.message, 'timed out after 1.5 ms');
});

test('timeout passes the value through when the awaitable is in time', async () => {
  assert.equal(await braid.timeout(5000, braid.task(async () => { await braid.sleep(5); return 'in time'; })), 'in time');
  assert.equal(await braid.timeout(5000, Promise.resolve('promise')), 'promise');
  assert.equal(await braid.timeout(5000, 'plain'), 'plain');
  assert.equal(await braid.timeout(0, 'ready'), 'ready', 'a ready value wins over a zero timeout');
});

test('timeout passes a rejection of the awaitable through unchanged', async () => {
  const err = new TypeError('inner failure');
  const e = await assert.rejects(braid.timeout(5000, braid.task(async () => { await braid.yieldNow(); throw err; })), 'TypeError');
  assert.equal(e, err);
});

test('timeout cancels the inner task: it stops at its pending await and never resumes', async () => {
  const progress = [];
  const inner = braid.task(async () => {
    progress.push('before');
    await braid.sleep(80);
    progress.push('after');
  });
  await assert.rejects(braid.timeout(10, inner), 'TimeoutError');
  assert.deepEqual(progress, ['before']);
  await braid.sleep(250);
  for (let i = 0; i < 10; i++) await braid.yieldNow();
  assert.deepEqual(progress, ['before'], 'the inner task resumed after its timeout');
});

test('timeout aborts a spawned task given by its handle', async () => {
  const progress = [];
  const h = braid.spawn(async () => { progress.push('before'); await braid.sleep(80); progress.push('after'); });
  await assert.rejects(braid.timeout(10, h), 'TimeoutError');
  await braid.sleep(250);
  assert.deepEqual(progress, ['before']);
  assert.equal(h.isFinished(), true);
  await assert.rejects(h, 'AbortError');
});

test('nested timeouts: the inner one fires first', async () => {
  const e = await assert.rejects(braid.timeout(5000, braid.timeout(10, braid.sleep(60000))), 'TimeoutError');
  assert.match(e.message, /10 ms/);
});

test('timeout rejects bad arguments at once, saying what was wrong', () => {
  assert.throws(() => braid.timeout('soon', braid.sleep(1)), /timeout: expected a number of milliseconds, got 'soon'/);
  assert.throws(() => braid.timeout(10), /the awaitable is missing/);
});
