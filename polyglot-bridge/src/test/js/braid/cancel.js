// A cancelled guest task (a select or race loser, an aborted task, the inner task of an
// elapsed timeout) never runs again, even where it awaits a plain JS promise that
// something outside the task settles later: no code after the await, no catch, no finally.

const settleLong = async () => {
  await braid.sleep(50);
  for (let i = 0; i < 20; i++) await braid.yieldNow();
};
const gate = () => {
  let open, fail;
  const promise = new Promise((resolve, reject) => { open = resolve; fail = reject; });
  return { promise, open, fail };
};
const winner = () => braid.task(async () => { await braid.yieldNow(); return 'won'; });

test('a loser whose nested async functions await plain promises never resumes', async () => {
  const progress = [];
  const g = gate();
  const leaf = async (name) => {
    progress.push(name + ' waits');
    const v = await g.promise;
    progress.push(name + ' got ' + v);
    return v;
  };
  const middle = async () => {
    const [a, b] = await Promise.all([leaf('a'), leaf('b')]);
    progress.push('middle');
    return a + b;
  };
  const loser = braid.task(async () => { const v = await middle(); progress.push('loser ' + v); });
  assert.deepEqual(await braid.select({ loser, w: winner() }), { key: 'w', value: 'won' });
  g.open(21);
  await settleLong();
  assert.deepEqual(progress, ['a waits', 'b waits']);
});

test('a loser runs neither its finally nor its catch, whether the promise resolves or rejects', async () => {
  const progress = [];
  const ok = gate();
  const bad = gate();
  const loser = (name, g) => braid.task(async () => {
    try {
      progress.push(name + ' waits');
      await g.promise;
      progress.push(name + ' after');
    } catch (e) {
      progress.push(name + ' catch');
    } finally {
      progress.push(name + ' finally');
    }
  });
  await braid.select({ a: loser('ok', ok), b: loser('bad', bad), w: winner() });
  ok.open('v');
  bad.fail(new Error('boom'));
  await settleLong();
  assert.deepEqual(progress.slice().sort(), ['bad waits', 'ok waits']); // select starts its branches in random order
});

test('timeout cancels an inner task that awaits a plain promise', async () => {
  const progress = [];
  const g = gate();
  const inner = braid.task(async () => { progress.push('before'); await g.promise; progress.push('after'); });
  await assert.rejects(braid.timeout(10, inner), 'TimeoutError');
  g.open();
  await settleLong();
  assert.deepEqual(progress, ['before']);
});

test('abort stops a spawned task that awaits a plain promise', async () => {
  const progress = [];
  const g = gate();
  const h = braid.spawn(async () => {
    try { progress.push('before'); await g.promise; progress.push('after'); } finally { progress.push('finally'); }
  });
  while (progress.length === 0) await braid.yieldNow(); // started, now waiting for the gate
  h.abort();
  await assert.rejects(h, 'AbortError');
  g.open();
  await settleLong();
  assert.deepEqual(progress, ['before']);
});

test('a loser consuming an async generator stops, generator and loop alike', async () => {
  const progress = [];
  const g = gate();
  async function* numbers() {
    yield 1;
    await g.promise;
    progress.push('generator resumed');
    yield 2;
  }
  const loser = braid.task(async () => {
    for await (const n of numbers()) progress.push('got ' + n);
    progress.push('loop done');
  });
  await braid.select({ loser, w: winner() });
  g.open();
  await settleLong();
  assert.deepEqual(progress, ['got 1']);
});

test('tasks that were not cancelled keep awaiting plain promises normally', async () => {
  const progress = [];
  const g = gate();
  const loser = braid.task(async () => { await g.promise; progress.push('loser'); });
  await braid.select({ loser, w: winner() }); // this context now stops cancelled code
  const other = braid.spawn(async () => {
    try { const v = await g.promise; progress.push('other ' + v); } finally { progress.push('other finally'); }
  });
  const mine = (async () => { const v = await g.promise; progress.push('mine ' + v); })();
  g.open(7);
  await other;
  await mine;
  await settleLong();
  assert.deepEqual(progress.slice().sort(), ['mine 7', 'other 7', 'other finally']);
});

test('a winner that awaits plain promises wins; only the loser stops', async () => {
  const progress = [];
  const mine = gate();
  const theirs = gate();
  const w = braid.task(async () => { const v = await mine.promise; progress.push('winner ' + v); return v; });
  const loser = braid.task(async () => { await theirs.promise; progress.push('loser'); });
  setTimeout(() => mine.open('w'), 5);
  assert.deepEqual(await braid.select({ loser, w }), { key: 'w', value: 'w' });
  theirs.open();
  await settleLong();
  assert.deepEqual(progress, ['winner w']);
});

test('the AsyncContext global the bridge uses is not part of the guest API', () => {
  assert.equal(typeof AsyncContext, 'undefined');
});

test('plain callbacks a loser registered still run, but async functions they call do not start', async () => {
  const progress = [];
  const g = gate();
  const loser = braid.task(async () => {
    g.promise.then(() => {
      progress.push('then callback');
      (async () => { progress.push('async body'); })();
    });
    await g.promise;
    progress.push('after');
  });
  await braid.select({ loser, w: winner() });
  g.open();
  await settleLong();
  assert.deepEqual(progress, ['then callback']);
});
