// braid.progress(total, {label}) for JavaScript: a bar with tick(n = 1), update(done) and
// done(), drawn where the host shows bars (on the braid command's standard error when it is a
// terminal, above the REPL's prompt) and nowhere otherwise.
(native) => {
  'use strict';
  return (total, options = {}) => {
    if (total !== undefined && (typeof total !== 'number' || !(total >= 0))) {
      throw new TypeError(`braid.progress(total, options): total must be a number >= 0, got ${String(total)}`);
    }
    if (options === null || typeof options !== 'object') throw new TypeError('braid.progress(total, options): options must be an object');
    const bar = native.open(String(options.label ?? ''), Math.floor(total ?? 0));
    let done = 0;
    let ended = false;
    const set = (n) => {
      if (ended) return;
      done = Math.max(0, Math.floor(n));
      native.update(bar, done);
    };
    return Object.freeze({
      tick(n = 1) { set(done + n); },
      update(n) { set(n); },
      done() {
        if (!ended) {
          ended = true;
          native.done(bar);
        }
      },
      get value() { return done; },
    });
  };
}
