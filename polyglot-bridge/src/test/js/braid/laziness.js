// A braid task is a description: nothing runs until something polls it (await, spawn,
// join, select...). braid.spawn starts the task on the session's strand, never inside the
// call itself.

const settle = async (n = 5) => {
  for (let i = 0; i < n; i++) await braid.yieldNow();
  await braid.sleep(10);
};

test('braid.task runs nothing until it is awaited', async () => {
  const log = [];
  const t = braid.task(async (x) => { log.push('ran ' + x); return x * 2; }, 21);
  await settle();
  assert.deepEqual(log, [], 'the task ran before anyone awaited it');
  assert.equal(await t, 42);
  assert.deepEqual(log, ['ran 21']);
});

test('a task that is never awaited never runs', async () => {
  let ran = false;
  braid.task(() => { ran = true; });
  braid.task(async () => { ran = true; });
  await settle(10);
  assert.equal(ran, false);
});

test('braid.spawn does not call the function synchronously, but starts it without an await', async () => {
  const log = [];
  const h = braid.spawn(() => { log.push('spawned body'); return 'v'; });
  log.push('after spawn');
  assert.deepEqual(log, ['after spawn'], 'spawn called the function synchronously');
  await settle(); // nobody awaits h: it still runs, as a task of its own
  assert.deepEqual(log, ['after spawn', 'spawned body']);
  assert.equal(await h, 'v');
});

test('braid.spawn of a braid.task starts it; the task alone would not', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; return 'from task'; });
  await settle();
  assert.equal(runs, 0);
  const h = braid.spawn(t);
  assert.equal(runs, 0, 'spawn ran the task synchronously');
  await settle();
  assert.equal(runs, 1);
  assert.equal(await h, 'from task');
});

test('combinators are lazy too: join, tryJoin, select, race and timeout start their tasks only when awaited', async () => {
  const log = [];
  const task = (name) => braid.task(async () => { log.push(name); return name; });
  const j = braid.join(task('join'));
  const tj = braid.tryJoin(task('tryJoin'));
  const s = braid.select({ only: task('select') });
  const r = braid.race(task('race'));
  const to = braid.timeout(1000, task('timeout'));
  await settle();
  assert.deepEqual(log, [], 'a combinator started its tasks before it was awaited');
  assert.deepEqual(await j, ['join']);
  assert.deepEqual(await tj, ['tryJoin']);
  assert.deepEqual(await s, { key: 'only', value: 'select' });
  assert.equal(await r, 'race');
  assert.equal(await to, 'timeout');
  assert.deepEqual(log, ['join', 'tryJoin', 'select', 'race', 'timeout']);
});

test('a task given to a combinator runs when the combinator is awaited, not before', async () => {
  const log = [];
  const t = braid.task(async () => { log.push('t'); return 1; });
  const joined = braid.join(t, 2);
  log.push('joined');
  await settle();
  assert.deepEqual(log, ['joined']);
  assert.deepEqual(await joined, [1, 2]);
  assert.deepEqual(log, ['joined', 't']);
});

test('braid.sleep starts its timer when first awaited, not when created', async () => {
  const nap = braid.sleep(100);
  await braid.sleep(150); // longer than nap: if nap had started at creation it would be over
  const t0 = Date.now();
  await nap;
  const waited = Date.now() - t0;
  assert.ok(waited >= 90, 'the sleep started before it was awaited: it waited only ' + waited + ' ms');
});

test('awaiting the same task twice runs it once', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.yieldNow(); return runs; });
  const [a, b] = [await t, await t];
  assert.equal(a, 1);
  assert.equal(b, 1);
  assert.equal(runs, 1);
});
