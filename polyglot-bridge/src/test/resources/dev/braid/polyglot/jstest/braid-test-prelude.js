// Installed by the JUnit runner (dev.braid.polyglot.jstest.JsTestRunner) into every test
// session before the test file runs; not part of Braid's production API.
//
//   test(name, async () => { ... })      registers a case (test.skip(name, fn) skips it)
//   assert(v, msg) / assert.ok(v, msg)   truthy
//   assert.equal(a, b, msg)              Object.is(a, b)       (assert.notEqual)
//   assert.deepEqual(a, b, msg)          structural equality    (assert.notDeepEqual)
//   assert.match(string, regex, msg)
//   assert.throws(fn, expected?, msg)    returns the error
//   assert.rejects(promiseOrFn, expected?, msg)   async; resolves to the error
//   assert.fail(msg)
//
// `expected` is an error name ('TypeError'), a RegExp (tested against 'Name: message'), an
// error class, or an object whose members must equal the error's ({name, message}).
(() => {
  'use strict';
  const PRELUDE = 'braid-test-prelude.js';
  const cases = [];

  const show = (v, depth = 0) => {
    if (typeof v === 'string') return JSON.stringify(v);
    if (typeof v === 'bigint') return v + 'n';
    if (typeof v === 'function') return '[Function: ' + (v.name || 'anonymous') + ']';
    if (typeof v === 'symbol' || v === null || typeof v !== 'object') return Object.is(v, -0) ? '-0' : String(v);
    if (v instanceof Error) return String(v.name) + ': ' + String(v.message);
    if (depth > 3) return Array.isArray(v) ? '[Array]' : '[Object]';
    if (Array.isArray(v)) return '[' + Array.from(v, (x) => show(x, depth + 1)).join(', ') + ']';
    if (v instanceof Map) return 'Map {' + [...v].map(([k, x]) => show(k, depth + 1) + ' => ' + show(x, depth + 1)).join(', ') + '}';
    if (v instanceof Set) return 'Set {' + [...v].map((x) => show(x, depth + 1)).join(', ') + '}';
    if (v instanceof Date || v instanceof RegExp) return String(v);
    if (typeof v.then === 'function') return '[thenable]';
    let keys;
    try { keys = Object.keys(v); } catch (e) { return '[object]'; }
    return '{' + keys.map((k) => k + ': ' + show(v[k], depth + 1)).join(', ') + '}';
  };

  // Frames of this file are noise in a failure: the position that matters is the caller's.
  const trim = (e) => {
    const lines = String(e.stack || '').split('\n');
    e.stack = lines.filter((l) => !(/^\s+at /.test(l) && l.includes(PRELUDE))).join('\n');
    return e;
  };

  class AssertionError extends Error {
    constructor(message, extra) {
      super(message);
      this.name = 'AssertionError';
      if (extra) Object.assign(this, extra);
      trim(this);
    }
  }

  const fail = (message, detail, extra) => {
    throw new AssertionError(message ? message + (detail ? ' (' + detail + ')' : '') : detail, extra);
  };

  const deepEq = (a, b, seen) => {
    if (Object.is(a, b)) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    const pair = seen.get(a);
    if (pair && pair.has(b)) return true; // a cycle already being compared
    if (!pair) seen.set(a, new Set([b])); else pair.add(b);
    const arrays = [Array.isArray(a), Array.isArray(b)];
    if (arrays[0] !== arrays[1]) return false;
    if (arrays[0]) {
      if (a.length !== b.length) return false;
      for (let i = 0; i < a.length; i++) if (!deepEq(a[i], b[i], seen)) return false;
      return true;
    }
    if (a.constructor !== b.constructor) return false;
    if (a instanceof Date) return Object.is(a.getTime(), b.getTime());
    if (a instanceof RegExp) return String(a) === String(b);
    if (a instanceof Error && (a.name !== b.name || a.message !== b.message)) return false;
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deepEq(v, b.get(k), seen)) return false;
      return true;
    }
    if (a instanceof Set) {
      if (a.size !== b.size) return false;
      outer: for (const x of a) {
        if (b.has(x)) continue;
        if (typeof x === 'object' && x !== null) {
          for (const y of b) if (deepEq(x, y, seen)) continue outer;
        }
        return false;
      }
      return true;
    }
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) {
      if (!Object.prototype.hasOwnProperty.call(b, k) && !kb.includes(k)) return false;
      if (!deepEq(a[k], b[k], seen)) return false;
    }
    return true;
  };

  const describeExpected = (expected) => {
    if (typeof expected === 'string') return 'an error named ' + expected;
    if (expected instanceof RegExp) return 'an error matching ' + expected;
    if (typeof expected === 'function') return 'an instance of ' + (expected.name || 'the given class');
    return 'an error like ' + show(expected);
  };

  const matches = (error, expected) => {
    if (expected === undefined) return true;
    if (typeof expected === 'string') return error != null && error.name === expected;
    if (expected instanceof RegExp) {
      const text = error instanceof Error || (error && error.name !== undefined)
          ? String(error.name) + ': ' + String(error.message) : String(error);
      return expected.test(text);
    }
    if (typeof expected === 'function') return error instanceof expected;
    if (typeof expected === 'object' && expected !== null) {
      return error != null && Object.keys(expected).every((k) =>
          expected[k] instanceof RegExp ? expected[k].test(String(error[k])) : deepEq(error[k], expected[k], new Map()));
    }
    throw new TypeError('assert: expected must be an error name, a RegExp, a class or an object, got ' + show(expected));
  };

  const assert = (value, message) => assert.ok(value, message);
  Object.assign(assert, {
    AssertionError,
    ok(value, message) {
      if (!value) fail(message, 'expected a truthy value, got ' + show(value), { actual: value });
    },
    equal(actual, expected, message) {
      if (!Object.is(actual, expected)) {
        fail(message, 'expected ' + show(expected) + ', got ' + show(actual), { actual, expected });
      }
    },
    notEqual(actual, unexpected, message) {
      if (Object.is(actual, unexpected)) fail(message, 'expected anything but ' + show(unexpected), { actual });
    },
    deepEqual(actual, expected, message) {
      if (!deepEq(actual, expected, new Map())) {
        fail(message, 'expected ' + show(expected) + ', got ' + show(actual), { actual, expected });
      }
    },
    notDeepEqual(actual, unexpected, message) {
      if (deepEq(actual, unexpected, new Map())) fail(message, 'expected anything but ' + show(unexpected), { actual });
    },
    match(actual, regex, message) {
      if (typeof actual !== 'string' || !regex.test(actual)) {
        fail(message, 'expected a string matching ' + regex + ', got ' + show(actual), { actual });
      }
    },
    fail(message) {
      fail(message || 'failed');
    },
    throws(fn, expected, message) {
      if (typeof fn !== 'function') throw new TypeError('assert.throws(fn, ...): fn must be a function, got ' + show(fn));
      let error;
      try {
        fn();
      } catch (e) {
        error = { e };
      }
      if (!error) fail(message, 'expected ' + (expected === undefined ? 'an error' : describeExpected(expected)) + ', but nothing was thrown');
      if (!matches(error.e, expected)) {
        fail(message, 'expected ' + describeExpected(expected) + ', got ' + show(error.e), { actual: error.e });
      }
      return error.e;
    },
    async rejects(promiseOrFn, expected, message) {
      const p = typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn;
      if (p === null || (typeof p !== 'object' && typeof p !== 'function') || typeof p.then !== 'function') {
        throw new TypeError('assert.rejects(promise, ...): expected a promise or a function returning one, got ' + show(p));
      }
      let error;
      let value;
      try {
        value = await p;
      } catch (e) {
        error = { e };
      }
      if (!error) {
        fail(message, 'expected a rejection with ' + (expected === undefined ? 'an error' : describeExpected(expected))
            + ', but it resolved to ' + show(value));
      }
      if (!matches(error.e, expected)) {
        fail(message, 'expected a rejection with ' + describeExpected(expected) + ', got ' + show(error.e), { actual: error.e });
      }
      return error.e;
    },
  });

  const register = (skip) => (name, fn) => {
    if (typeof name !== 'string' || name === '') throw new TypeError('test(name, fn): name must be a non-empty string, got ' + show(name));
    if (typeof fn !== 'function') throw new TypeError('test(' + JSON.stringify(name) + ', fn): fn must be a function, got ' + show(fn));
    if (cases.some((c) => c.name === name)) throw new Error('test(' + JSON.stringify(name) + '): a test with this name is already registered');
    const frame = String(new Error().stack).split('\n').find((l) => /^\s+at /.test(l) && !l.includes(PRELUDE));
    const at = frame && /:(\d+):\d+\)?\s*$/.exec(frame);
    cases.push({ name, fn, skip, line: at ? Number(at[1]) : 0 });
  };
  const test = register(false);
  test.skip = register(true);

  const runner = Object.freeze({
    // [name, skipped, line] of every registered case, in registration order
    list: () => cases.map((c) => [c.name, c.skip, c.line]),
    run: async (index) => {
      const c = cases[index];
      if (!c) throw new Error('no test case #' + index);
      await c.fn();
    },
  });

  Object.defineProperty(globalThis, 'test', { value: test, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'assert', { value: assert, writable: true, configurable: true });
  Object.defineProperty(globalThis, '__braidTestRunner', { value: runner, configurable: true });
})();
