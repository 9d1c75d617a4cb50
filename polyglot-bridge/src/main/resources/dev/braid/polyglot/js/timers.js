// Braid: the timer globals of Node and browsers, queueMicrotask and performance, on the
// session's strand. `native` is the Java side (JsTimers); this file checks the arguments and
// coerces them the way Node does.
(native) => {
  'use strict';
  const TIMEOUT_MAX = 2 ** 31 - 1;
  const apply = Reflect.apply;
  const then = Promise.prototype.then;
  const resolved = Promise.resolve();

  const describe = (v) => {
    if (typeof v === 'string') return 'a string (' + JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v) + ')';
    if (v === null) return 'null';
    if (v === undefined) return 'nothing';
    if (typeof v === 'object') return 'an object';
    return 'a ' + typeof v + ' (' + String(v) + ')';
  };
  const checkCallback = (fn, callback) => {
    if (typeof callback !== 'function') {
      const e = new TypeError(fn + ': the callback must be a function, got ' + describe(callback)
          + (typeof callback === 'string' ? '; Braid does not evaluate strings as code' : ''));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
  };
  // Node: a delay that is not a number in [1, 2^31 - 1] is 1 ms.
  const delayOf = (ms) => {
    const d = typeof ms === 'bigint' ? Number(ms) : +ms;
    return d >= 1 && d <= TIMEOUT_MAX ? d : 1;
  };
  const bind = (callback, args) => args.length === 0 ? callback : () => apply(callback, undefined, args);
  // Ids are positive integers; anything else (undefined, an id of another session) is ignored.
  const idOf = (id) => {
    if (typeof id === 'number') return id;
    if (typeof id === 'string' && id !== '') return +id;
    return NaN;
  };
  const define = (name, value) => Object.defineProperty(globalThis, name,
      { value, writable: true, configurable: true, enumerable: true });

  define('setTimeout', function setTimeout(callback, ms, ...args) {
    checkCallback('setTimeout', callback);
    return native.schedule(bind(callback, args), delayOf(ms), false, 'setTimeout');
  });
  define('setInterval', function setInterval(callback, ms, ...args) {
    checkCallback('setInterval', callback);
    return native.schedule(bind(callback, args), delayOf(ms), true, 'setInterval');
  });
  define('setImmediate', function setImmediate(callback, ...args) {
    checkCallback('setImmediate', callback);
    return native.immediate(bind(callback, args));
  });
  const isId = (n) => Number.isInteger(n) && n > 0 && n <= TIMEOUT_MAX;
  const clear = function (id) {
    const n = idOf(id);
    if (isId(n)) native.clear(n);
  };
  define('clearTimeout', function clearTimeout(id) { clear(id); });
  define('clearInterval', function clearInterval(id) { clear(id); });
  define('clearImmediate', function clearImmediate(id) {
    const n = idOf(id);
    if (isId(n)) native.clearImmediate(n);
  });

  // A job on the promise job queue itself, so it keeps its place among promise reactions.
  define('queueMicrotask', function queueMicrotask(callback) {
    checkCallback('queueMicrotask', callback);
    apply(then, resolved, [() => {
      try {
        callback();
      } catch (e) {
        native.uncaught(e, 'uncaught error in a queueMicrotask callback');
      }
    }]);
  });

  const timeOrigin = native.timeOrigin;
  class Performance {
    /** Milliseconds since timeOrigin on the runtime's monotonic clock (sub-millisecond). */
    now() { return native.now(); }
    get timeOrigin() { return timeOrigin; }
    toJSON() { return { timeOrigin }; }
    get [Symbol.toStringTag]() { return 'Performance'; }
  }
  define('performance', new Performance());
}
