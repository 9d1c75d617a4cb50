// Braid: a script run as a job (the braid command) sees its arguments and ends the job the
// way Node scripts do: process.argv is [launcher, script, ...args], process.exit(code) ends
// the job at once, process.exitCode is the code of a normal end. braid.args and braid.exit
// are the same, under the braid API. braid.onSignal(name, fn) and process.on(name, fn) run fn
// when the job gets SIGINT or SIGTERM, instead of ending it.
(launcher, script, args, exit, setCode, listen, env, stdio) => {
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
  proc.cwd = () => env.cwd();
  // The granted variables only: any other reads as undefined (nobody is asked). What the
  // script assigns stays in this object (a child gets only what was granted).
  const assigned = new Map();
  proc.env = new Proxy({}, {
    get: (t, k) => (typeof k !== 'string' ? undefined : assigned.has(k) ? assigned.get(k) : env.granted(k) ?? undefined),
    set: (t, k, v) => { assigned.set(String(k), String(v)); return true; },
    deleteProperty: (t, k) => { assigned.set(String(k), undefined); return true; },
    has: (t, k) => typeof k === 'string' && (assigned.has(k) ? assigned.get(k) !== undefined : env.granted(k) !== null),
    ownKeys: () => [...new Set([...env.names(), ...assigned.keys()])].filter((k) => (assigned.has(k) ? assigned.get(k) !== undefined : true)),
    getOwnPropertyDescriptor: (t, k) => {
      const v = typeof k !== 'string' ? undefined : assigned.has(k) ? assigned.get(k) : env.granted(k) ?? undefined;
      return v === undefined ? undefined : { value: v, writable: true, enumerable: true, configurable: true };
    },
  });
  const writer = (fd) => ({
    write(data) {
      if (typeof data === 'string') return stdio.write(fd, data);
      if (data instanceof Uint8Array) return stdio.writeBytes(fd, data.buffer, data.byteOffset, data.byteLength);
      throw new TypeError(`process.${fd === 1 ? 'stdout' : 'stderr'}.write(data): data must be a string or a Uint8Array`);
    },
  });
  proc.stdout = writer(1);
  proc.stderr = writer(2);
  Object.defineProperty(globalThis, 'process', { value: proc, writable: true, configurable: true, enumerable: false });
  braid.onSignal = onSignal;
  braid.args = [...args];
  braid.exit = (code) => proc.exit(code);
}
