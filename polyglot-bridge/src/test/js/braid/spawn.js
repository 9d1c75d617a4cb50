// braid.spawn(fn, ...args) runs fn as a task of its own and returns an awaitable handle
// with id, abort() and isFinished().

// The line of the caller of here(), for checking positions in stacks.
const here = () => Number(/:(\d+):\d+\)?\s*$/.exec(new Error().stack.split('\n')[2])[1]);

function explode(what) { throw new RangeError('kaboom: ' + what); } const EXPLODE_LINE = here();

test('a handle is awaitable and gives the value of the task; arguments are passed', async () => {
  const h = braid.spawn(async (a, b) => { await braid.yieldNow(); return a + b; }, 40, 2);
  assert.equal(typeof h.id, 'number');
  assert.equal(typeof h.abort, 'function');
  assert.equal(await h, 42);
  assert.equal(await h, 42, 'a handle can be awaited again');
  assert.equal(await braid.spawn(() => 'sync function'), 'sync function');
  assert.notEqual(braid.spawn(() => 1).id, braid.spawn(() => 1).id);
});

test('a spawned task\'s rejection surfaces through its handle with the JS stack and position', async () => {
  const h = braid.spawn(async function worker() {
    await braid.sleep(1);
    explode('in a task');
  });
  const e = await assert.rejects(h, 'RangeError');
  assert.equal(e.message, 'kaboom: in a task');
  assert.ok(e instanceof RangeError, 'the rejection is the guest error itself');
  assert.match(e.stack, new RegExp('at explode \\(.*spawn\\.js:' + EXPLODE_LINE + ':\\d+\\)'));
  assert.match(e.stack, /at (async )?worker \(.*spawn\.js:\d+:\d+\)/);
});

test('a synchronous throw in a spawned function rejects its handle, not the spawn call', async () => {
  let h;
  try {
    h = braid.spawn(() => explode('synchronously'));
  } catch (e) {
    assert.fail('spawn threw ' + e);
  }
  const e = await assert.rejects(h, 'RangeError');
  assert.match(e.stack, new RegExp('spawn\\.js:' + EXPLODE_LINE + ':'));
});

test('a rejection that nobody catches fails the evaluation with the guest position', async () => {
  // What the Java side sees is checked by JsRunnerTest; here: awaiting rethrows the same error.
  const h = braid.spawn(async () => explode('rethrown'));
  let caught;
  try { await h; } catch (e) { caught = e; }
  assert.ok(caught instanceof RangeError);
  assert.equal(caught.message, 'kaboom: rethrown');
});

test('isFinished follows the task', async () => {
  const h = braid.spawn(async () => { await braid.sleep(20); return 'done'; });
  assert.equal(h.isFinished(), false);
  assert.equal(await h, 'done');
  assert.equal(h.isFinished(), true);
  const failed = braid.spawn(async () => { throw new Error('x'); });
  await assert.rejects(failed);
  assert.equal(failed.isFinished(), true);
});

test('abort stops a running task at its pending await; awaiting it rejects with AbortError', async () => {
  const progress = [];
  const h = braid.spawn(async () => {
    progress.push('before');
    await braid.sleep(60);
    progress.push('after');
  });
  await braid.yieldNow();
  assert.deepEqual(progress, ['before']);
  assert.equal(h.isFinished(), false);
  h.abort();
  const e = await assert.rejects(h, 'AbortError');
  assert.ok(e instanceof Error);
  assert.equal(h.isFinished(), true);
  await braid.sleep(200);
  assert.deepEqual(progress, ['before'], 'an aborted task resumed');
});

test('abort before the first poll: the function is never called', async () => {
  let called = false;
  const h = braid.spawn(() => { called = true; });
  h.abort();
  await assert.rejects(h, 'AbortError');
  await braid.sleep(20);
  assert.equal(called, false);
});

test('abort after completion changes nothing', async () => {
  const h = braid.spawn(async () => 'kept');
  assert.equal(await h, 'kept');
  h.abort();
  assert.equal(await h, 'kept');
});

test('a task spawned by a cancelled task keeps running (spawn is detached)', async () => {
  const progress = [];
  let child;
  const parent = braid.spawn(async () => {
    child = braid.spawn(async () => { await braid.sleep(300); progress.push('child done'); return 'child'; });
    await child;
    progress.push('parent resumed');
  });
  await braid.sleep(5);
  parent.abort();
  await assert.rejects(parent, 'AbortError');
  assert.equal(await child, 'child');
  await braid.sleep(20);
  assert.deepEqual(progress, ['child done']);
});

test('spawn rejects what is not a function or task, saying what it got', () => {
  assert.throws(() => braid.spawn(42), /fn must be a function, a braid.task\(...\) or an awaitable, got 42/);
  assert.throws(() => braid.spawn(), /fn is missing/);
  assert.throws(() => braid.task('nope'), /fn must be a function/);
});

test('a handle shows its members', async () => {
  const h = braid.spawn(async () => 1);
  assert.deepEqual(Object.keys(h).filter((k) => ['id', 'abort', 'isFinished'].includes(k)).sort(), ['abort', 'id', 'isFinished']);
  await h;
});

test('a handle\'s functions are the same object on every read, and its members answer `in`', async () => {
  const h = braid.spawn(async () => 'x');
  assert.ok('id' in h && 'abort' in h && 'isFinished' in h && 'then' in h);
  assert.ok(!('nope' in h));
  assert.equal(h.nope, undefined);
  assert.equal(h.abort, h.abort);
  assert.equal(h.isFinished, h.isFinished);
  assert.equal(h.id, h.id);
  assert.equal(await h, 'x');
});

test('spawn passes any number of arguments, undefined ones included', async () => {
  assert.equal(await braid.spawn(function () { return arguments.length; }), 0);
  assert.deepEqual(await braid.spawn((...xs) => xs, 1, undefined, 'x', null), [1, undefined, 'x', null]);
  const obj = { n: 1 };
  assert.equal(await braid.spawn(async (o, f) => f(o), obj, (o) => o.n + 1), 2);
});

test('a task that rejects with undefined or a string rejects its handle with that value', async () => {
  let caught = 'nothing';
  try { await braid.spawn(async () => { throw undefined; }); } catch (e) { caught = e; }
  assert.equal(caught, undefined);
  try { await braid.spawn(async () => { await braid.yieldNow(); throw 'plain'; }); } catch (e) { caught = e; }
  assert.equal(caught, 'plain');
});
