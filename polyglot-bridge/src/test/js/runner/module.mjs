// An ES module test file: the same test() and assert globals; module scope and strictness.

const moduleScoped = 'not a global';

test('a module file runs with module scope', () => {
  assert.equal(typeof globalThis.moduleScoped, 'undefined');
  assert.equal(moduleScoped, 'not a global');
  assert.equal(this, undefined, 'module code is strict: this is undefined at the top level');
});

test('module cases await braid awaitables', async () => {
  assert.deepEqual(await braid.join(braid.task(async () => 'm'), 2), ['m', 2]);
});
