// braid.select and braid.race settle with the first branch to finish; the others are
// cancelled: a started guest task stops at its pending await and never resumes.

// Losers wait LOSER_MS, winners only yield once; settleLong waits well past LOSER_MS, so a
// loser that was not cancelled would have resumed by then.
const LOSER_MS = 60;
const settleLong = async () => {
  await braid.sleep(LOSER_MS * 3);
  for (let i = 0; i < 20; i++) await braid.yieldNow();
};

test('select with an object names the winning key', async () => {
  const r = await braid.select({
    slow: braid.sleep(60000),
    fast: braid.task(async () => { await braid.sleep(5); return 'f'; }),
  });
  assert.deepEqual(r, { key: 'fast', value: 'f' });
});

test('select with an array, or with arguments, names the winning index', async () => {
  const tasks = () => [braid.sleep(60000), braid.task(async () => 'second'), braid.sleep(60000)];
  assert.deepEqual(await braid.select(tasks()), { key: 1, value: 'second' });
  assert.deepEqual(await braid.select(...tasks()), { key: 1, value: 'second' });
});

test('select takes handles, promises and plain values', async () => {
  assert.deepEqual(await braid.select({ never: braid.sleep(60000), now: 7 }), { key: 'now', value: 7 });
  assert.deepEqual(await braid.select({ never: braid.sleep(60000), p: Promise.resolve('p') }), { key: 'p', value: 'p' });
  const h = braid.spawn(async () => { await braid.sleep(5); return 'h'; });
  assert.deepEqual(await braid.select({ never: braid.sleep(60000), h }), { key: 'h', value: 'h' });
});

test('select cancels the losers: a started guest task stops at its pending await and never resumes', async () => {
  const progress = [];
  const loser = braid.task(async () => {
    progress.push('loser: before');
    await braid.sleep(LOSER_MS);
    progress.push('loser: after');
    return 'loser';
  });
  const nestedLoser = braid.task(async () => {
    progress.push('nested: before');
    await braid.join(braid.sleep(LOSER_MS), braid.yieldNow()); // an await on a combinator
    progress.push('nested: after');
  });
  const chained = braid.task(async () => {
    progress.push('chained: before');
    await braid.sleep(LOSER_MS).then(() => progress.push('chained: then ran'));
    progress.push('chained: after');
  });
  const winner = braid.task(async () => { await braid.yieldNow(); return 'winner'; });
  const r = await braid.select({ loser, nestedLoser, chained, winner });
  assert.deepEqual(r, { key: 'winner', value: 'winner' });
  const started = ['chained: before', 'loser: before', 'nested: before'];
  assert.deepEqual(progress.slice().sort(), started, 'every loser must have started');
  await settleLong();
  assert.deepEqual(progress.slice().sort(), started, 'a losing task resumed after select settled');
});

test('select aborts a losing handle', async () => {
  const progress = [];
  const h = braid.spawn(async () => {
    progress.push('before');
    await braid.sleep(LOSER_MS);
    progress.push('after');
  });
  await braid.yieldNow();
  const r = await braid.select({ h, fast: braid.yieldNow() });
  assert.equal(r.key, 'fast');
  await settleLong();
  assert.deepEqual(progress, ['before']);
  assert.equal(h.isFinished(), true);
  await assert.rejects(h, 'AbortError');
});

test('select rejects when the first branch to finish rejects, and cancels the others', async () => {
  const progress = [];
  const e = await assert.rejects(braid.select({
    bad: braid.task(async () => { await braid.yieldNow(); throw new URIError('bad branch'); }),
    other: braid.task(async () => { progress.push('before'); await braid.sleep(LOSER_MS); progress.push('after'); }),
  }), 'URIError');
  assert.equal(e.message, 'bad branch');
  await settleLong();
  assert.deepEqual(progress, ['before']);
});

test('select and race without any branch fail with a clear error', async () => {
  await assert.rejects(braid.select({}), /at least one/);
  await assert.rejects(braid.select([]), /at least one/);
  await assert.rejects(braid.race(), /at least one/);
});

test('race settles with the first value and cancels the rest', async () => {
  const progress = [];
  const slow = braid.task(async () => { progress.push('slow: before'); await braid.sleep(LOSER_MS); progress.push('slow: after'); return 'slow'; });
  const h = braid.spawn(async () => { progress.push('handle: before'); await braid.sleep(LOSER_MS); progress.push('handle: after'); });
  const v = await braid.race(slow, h, braid.task(async () => { await braid.yieldNow(); return 'fast'; }));
  assert.equal(v, 'fast');
  await settleLong();
  assert.deepEqual(progress.slice().sort(), ['handle: before', 'slow: before']);
  await assert.rejects(h, 'AbortError');
});

test('race takes an array and settles with the first rejection too', async () => {
  assert.equal(await braid.race([braid.sleep(60000), Promise.resolve('p')]), 'p');
  await assert.rejects(braid.race([braid.sleep(60000), braid.task(async () => { throw new EvalError('nope'); })]),
    { name: 'EvalError', message: 'nope' });
});

// The bridge cancels a losing task by aborting the Braid waits it started. An await on a
// plain JS promise that something outside the task settles is not one of those: the
// CancelledAwaits instrument stops the task's code when that promise settles.
test('a losing task awaiting a plain promise settled elsewhere never resumes', async () => {
  const progress = [];
  let open;
  const gate = new Promise((r) => { open = r; });
  const loser = braid.task(async () => { progress.push('before'); await gate; progress.push('after'); });
  await braid.select({ loser, winner: braid.task(async () => { await braid.yieldNow(); return 1; }) });
  open();
  await settleLong();
  assert.deepEqual(progress, ['before']);
});
