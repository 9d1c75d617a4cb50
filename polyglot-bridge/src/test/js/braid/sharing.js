// An awaitable stands for one operation, however many places wait for it: a task runs
// once, a handle wakes everyone who awaits it.

test('a task taken by join and then awaited runs once', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.sleep(5); return 'v'; });
  assert.deepEqual(await braid.join(t), ['v']);
  assert.equal(await t, 'v');
  assert.equal(runs, 1);
});

test('the same task twice in one join runs once', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.sleep(5); return runs; });
  assert.deepEqual(await braid.join(t, t), [1, 1]);
  assert.equal(runs, 1);
});

test('a task awaited by two tasks at once runs once and both get its value', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.sleep(20); return 'shared'; });
  const a = braid.spawn(async () => await t);
  const b = braid.spawn(async () => (await braid.join(t))[0]);
  assert.deepEqual(await braid.timeout(5000, braid.join(a, b)), ['shared', 'shared']);
  assert.equal(runs, 1);
});

test('a handle awaited from several tasks at once wakes all of them', async () => {
  const h = braid.spawn(async () => { await braid.sleep(300); return 1; });
  const viaJoin = braid.spawn(async () => (await braid.join(h))[0]);
  await braid.sleep(5); // the join polls the handle first, then the plain await
  const viaAwait = braid.spawn(async () => await h);
  const viaSelect = braid.spawn(async () => (await braid.select({ h, never: braid.sleep(60000) })).value);
  assert.deepEqual(await braid.timeout(5000, braid.join(viaJoin, viaAwait, viaSelect)), [1, 1, 1]);
});

test('a task cancelled with its only waiter rejects later awaits with AbortError', async () => {
  const progress = [];
  const t = braid.task(async () => { progress.push('before'); await braid.sleep(60); progress.push('after'); });
  const r = await braid.select({ t, fast: braid.yieldNow() });
  assert.equal(r.key, 'fast');
  await assert.rejects(t, 'AbortError');
  await braid.sleep(180);
  assert.deepEqual(progress, ['before']);
});

test('a task still awaited elsewhere survives a losing select', async () => {
  const t = braid.task(async () => { await braid.sleep(300); return 'survived'; });
  const waiter = braid.spawn(async () => await t);
  await braid.sleep(5);
  const r = await braid.select({ t, fast: braid.yieldNow() });
  assert.equal(r.key, 'fast');
  assert.equal(await braid.timeout(5000, waiter), 'survived');
  assert.equal(await t, 'survived');
});

test('a sleep awaited from two places is one timer', async () => {
  const s = braid.sleep(300);
  const t0 = Date.now();
  await braid.timeout(5000, braid.join(s, s));
  assert.ok(Date.now() - t0 >= 299);
  const t1 = Date.now();
  await s; // over already: no new timer
  assert.ok(Date.now() - t1 < 200, 'awaiting a finished sleep again slept again');
});

// hostDelay(ms, value) is a host function of the JUnit host (JsTests): it returns one Java
// Braid future, which the bridge hands to the guest as an awaitable.
test('a host future awaited from several tasks at once is polled by one owner and wakes all', async () => {
  const f = hostDelay(20, 'host');
  const a = braid.spawn(async () => await f);
  const b = braid.spawn(async () => (await braid.join(f))[0]);
  const c = braid.spawn(async () => (await braid.select({ f })).value);
  assert.deepEqual(await braid.timeout(5000, braid.join(a, b, c)), ['host', 'host', 'host']);
  assert.equal(await f, 'host');
});

test('a task awaited by a task that is then cancelled still runs for its other waiters', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.sleep(300); return 'kept'; });
  const first = braid.spawn(async () => await t);
  const second = braid.spawn(async () => await t);
  await braid.sleep(5);
  first.abort();
  await assert.rejects(first, 'AbortError');
  assert.equal(await braid.timeout(5000, second), 'kept');
  assert.equal(runs, 1);
});

test('a handle whose first awaiter was cancelled can still be awaited', async () => {
  const h = braid.spawn(async () => { await braid.sleep(300); return 'value'; });
  const awaiter = braid.spawn(async () => await h);
  await braid.sleep(5);
  awaiter.abort();
  await assert.rejects(awaiter, 'AbortError');
  assert.equal(await braid.timeout(5000, h), 'value');
});

test('a task keeps waking its waiters when the first one to wait drops out', async () => {
  let runs = 0;
  const t = braid.task(async () => { runs++; await braid.sleep(200); return 'late'; });
  // The select waits first (it leaves when the gate opens), the plain await second. The
  // session's strand runs its tasks in order: each yield lets the next step run.
  const gate = braid.oneshot();
  const viaSelect = braid.spawn(async () => (await braid.select({ t, fast: gate.recv() })).key);
  await braid.yieldNow();
  const viaAwait = braid.spawn(async () => await t);
  for (let i = 0; i < 3; i++) await braid.yieldNow(); // viaAwait runs, then its wait is polled
  gate.send('open');
  assert.equal(await viaSelect, 'fast');
  const third = braid.spawn(async () => await t); // starts waiting after the first one left
  assert.deepEqual(await braid.timeout(5000, braid.join(viaAwait, third)), ['late', 'late']);
  assert.equal(runs, 1);
});
