// The test prelude's own assertions: each passes on what it should accept and fails with a
// clear AssertionError on what it should not.

const fails = (fn, message) => {
  const e = assert.throws(fn, 'AssertionError');
  if (message) assert.match(e.message, message);
  return e;
};

test('ok and assert()', () => {
  assert(true);
  assert.ok(1);
  assert.ok('x');
  fails(() => assert.ok(0), /expected a truthy value, got 0/);
  fails(() => assert(null, 'must be set'), /^must be set \(expected a truthy value, got null\)$/);
});

test('equal is Object.is', () => {
  assert.equal(1, 1);
  assert.equal(NaN, NaN);
  assert.equal('a', 'a');
  fails(() => assert.equal(1, '1'), /expected "1", got 1/);
  fails(() => assert.equal(0, -0), /expected -0, got 0/);
  fails(() => assert.equal({}, {}));
  assert.notEqual(1, 2);
  fails(() => assert.notEqual(3, 3), /anything but 3/);
});

test('deepEqual compares structure', () => {
  assert.deepEqual({ a: [1, { b: 2 }], c: 'x' }, { a: [1, { b: 2 }], c: 'x' });
  assert.deepEqual(new Map([[1, { x: 1 }]]), new Map([[1, { x: 1 }]]));
  assert.deepEqual(new Set([1, 2]), new Set([2, 1]));
  assert.deepEqual(new Date(5), new Date(5));
  assert.deepEqual([undefined, null], [undefined, null]);
  const cyclic = { name: 'c' };
  cyclic.self = cyclic;
  const cyclic2 = { name: 'c' };
  cyclic2.self = cyclic2;
  assert.deepEqual(cyclic, cyclic2);
  fails(() => assert.deepEqual([1, 2], [1, 2, 3]), /expected \[1, 2, 3\], got \[1, 2\]/);
  fails(() => assert.deepEqual({ a: 1 }, { a: 1, b: undefined }));
  fails(() => assert.deepEqual([1], { 0: 1 }));
  fails(() => assert.deepEqual(new Set([1]), new Set(['1'])));
  class P { constructor() { this.x = 1; } }
  fails(() => assert.deepEqual(new P(), { x: 1 }));
  assert.notDeepEqual({ a: 1 }, { a: 2 });
  fails(() => assert.notDeepEqual([1], [1]));
});

test('deepEqual accepts what braid hands back (arrays and records from Java)', async () => {
  assert.deepEqual(await braid.join(1, 'two', null), [1, 'two', null]);
  assert.deepEqual(await braid.select({ only: 5 }), { key: 'only', value: 5 });
});

test('match', () => {
  assert.match('hello world', /wor/);
  fails(() => assert.match('hello', /bye/), /expected a string matching \/bye\/, got "hello"/);
  fails(() => assert.match(42, /42/), /got 42/);
});

test('throws checks names, patterns, classes and shapes, and returns the error', () => {
  const boom = () => { throw new TypeError('boom'); };
  assert.equal(assert.throws(boom).message, 'boom');
  assert.throws(boom, 'TypeError');
  assert.throws(boom, /TypeError: bo+m/);
  assert.throws(boom, TypeError);
  assert.throws(boom, { name: 'TypeError', message: /bo/ });
  fails(() => assert.throws(() => {}), /nothing was thrown/);
  fails(() => assert.throws(boom, 'RangeError'), /expected an error named RangeError, got TypeError: boom/);
  fails(() => assert.throws(boom, RangeError), /an instance of RangeError/);
  fails(() => assert.throws(boom, { message: 'other' }));
  assert.throws(() => assert.throws(boom, 42), TypeError);
});

test('rejects awaits a promise or a function returning one', async () => {
  const e = await assert.rejects(Promise.reject(new RangeError('r')), 'RangeError');
  assert.equal(e.message, 'r');
  await assert.rejects(async () => { throw new Error('from fn'); }, /from fn/);
  await assert.rejects(braid.task(async () => { throw new Error('task'); }), { message: 'task' });
  const resolved = await assert.rejects(assert.rejects(Promise.resolve(7)), 'AssertionError');
  assert.match(resolved.message, /resolved to 7/);
  const wrong = await assert.rejects(assert.rejects(Promise.reject(new Error('x')), 'TypeError'), 'AssertionError');
  assert.match(wrong.message, /expected a rejection with an error named TypeError, got Error: x/);
  await assert.rejects(assert.rejects(42), TypeError);
});

test('fail', () => {
  fails(() => assert.fail('on purpose'), /^on purpose$/);
});

test('an assertion error points at the test file, not at the prelude', () => {
  const e = fails(() => assert.equal(1, 2));
  assert.ok(!e.stack.includes('braid-test-prelude.js'), e.stack);
  assert.match(e.stack.split('\n')[1], /runner\/assert\.js:\d+:\d+/);
});

test('test() rejects bad registrations', () => {
  assert.throws(() => test('', () => {}), /name must be a non-empty string/);
  assert.throws(() => test('no function'), /fn must be a function/);
  assert.throws(() => test('fail', () => {}), /already registered/);
});

test.skip('a skipped case is reported as skipped', () => {
  throw new Error('a skipped case ran');
});
