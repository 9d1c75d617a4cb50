// Braid: a script run as a job (the braid command) sees its arguments and ends the job the
// way Node scripts do: process.argv is [launcher, script, ...args], process.exit(code) ends
// the job at once, process.exitCode is the code of a normal end. braid.args and braid.exit
// are the same, under the braid API. braid.onSignal(name, fn) and process.on(name, fn) run fn
// when the job gets SIGINT or SIGTERM, instead of ending it.
(launcher, script, args, exit, setCode, listen) => {
  'use strict';
  const argv = [launcher, script, ...args];
  let exitCode;
  const toCode = (c, what) => {
    const n = Number(c);
    if (!Number.isInteger(n)) throw new TypeError(`${what}: expected an integer exit code, got ${String(c)}`);
    return n & 0xff;
  };
  const proc = {
    argv,
    exit(code) {
      exit(code === undefined ? (exitCode === undefined ? 0 : toCode(exitCode, 'process.exit')) : toCode(code, 'process.exit'));
    },
    get exitCode() { return exitCode; },
    set exitCode(c) {
      setCode(c === undefined ? 0 : toCode(c, 'process.exitCode'));
      exitCode = c;
    },
  };
  const onSignal = (name, fn) => {
    if (typeof fn !== 'function') throw new TypeError(`onSignal(${String(name)}, fn): fn must be a function`);
    if (!listen(String(name), fn)) throw new TypeError(`onSignal: cannot handle the signal ${String(name)} (SIGINT and SIGTERM can be)`);
  };
  proc.on = (name, fn) => { onSignal(name, fn); return proc; };
  Object.defineProperty(globalThis, 'process', { value: proc, writable: true, configurable: true, enumerable: false });
  braid.onSignal = onSignal;
  braid.args = [...args];
  braid.exit = (code) => proc.exit(code);
}
