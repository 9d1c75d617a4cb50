// braid.sleep, braid.yieldNow and braid.taskDump.

test('sleep waits at least the given time', async () => {
  const t0 = Date.now();
  const v = await braid.sleep(30);
  assert.ok(Date.now() - t0 >= 29, 'slept only ' + (Date.now() - t0) + ' ms');
  assert.ok(v === undefined, 'sleep resolved to ' + v);
});

test('sleep(0), negative and fractional times resolve', async () => {
  await braid.sleep(0);
  await braid.sleep(-10);
  await braid.sleep(0.5);
});

test('sleep rejects what is not a number of milliseconds', () => {
  assert.throws(() => braid.sleep('1s'), /sleep: expected a number of milliseconds, got '1s'/);
  assert.throws(() => braid.sleep(), /sleep: expected a number of milliseconds, got nothing/);
});

test('yieldNow lets the other tasks of the session run', async () => {
  let ran = false;
  braid.spawn(() => { ran = true; });
  assert.ok(await braid.yieldNow() === undefined, 'yieldNow resolves with undefined');
  assert.equal(ran, true);
});

test('tasks that yield interleave', async () => {
  const log = [];
  const worker = (name) => async () => {
    for (let i = 0; i < 3; i++) {
      log.push(name + i);
      await braid.yieldNow();
    }
  };
  await braid.join(braid.spawn(worker('a')), braid.spawn(worker('b')));
  assert.equal(log.length, 6);
  assert.ok(log.indexOf('b0') < log.indexOf('a2'), 'a ran to the end before b started: ' + log.join(' '));
  assert.ok(log.indexOf('a1') < log.indexOf('b2'), 'b ran to the end before a went on: ' + log.join(' '));
});

test('a thousand awaits of sleep(0) and yieldNow complete', async () => {
  let n = 0;
  for (let i = 0; i < 500; i++) {
    await braid.sleep(0);
    await braid.yieldNow();
    n += 2;
  }
  assert.equal(n, 1000);
});

test('taskDump lists the runtime\'s tasks, named after their functions', async () => {
  const h = braid.spawn(async function napper() { await braid.sleep(60000); });
  await braid.yieldNow();
  const dump = braid.taskDump();
  assert.ok(Array.isArray(dump));
  const mine = dump.filter((t) => t.name === 'napper');
  assert.equal(mine.length, 1, 'no task named napper in ' + JSON.stringify(dump.map((t) => t.name)));
  const t = mine[0];
  assert.equal(t.id, h.id);
  for (const key of ['id', 'name', 'executor', 'state', 'polls']) {
    assert.ok(key in t, 'a dump entry has no ' + key);
  }
  assert.match(t.executor, /strand/);
  h.abort();
  await assert.rejects(h, 'AbortError');
  await braid.yieldNow();
  assert.equal(braid.taskDump().filter((x) => x.id === h.id).length, 0, 'an aborted task is still listed');
});
