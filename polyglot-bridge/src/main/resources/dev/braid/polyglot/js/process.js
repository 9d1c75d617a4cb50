// braid.process for JavaScript: run(command, args) to the end, and spawn(command, args,
// {cwd, env, stdin, stdout, stderr}) returning at once a child whose output is read while it
// runs, as Deno's Command.spawn: pid, stdout/stderr (lines(), readLine(), read()), stdin
// (write, close), status (a promise of {code, success, signal}), kill(signal).
(native) => {
  'use strict';
  const reader = (child, fd) => {
    const lines = async function* lines() {
      for (let line = await native.readLine(child, fd); line !== null; line = await native.readLine(child, fd)) {
        yield line;
      }
    };
    return Object.freeze({
      readLine: () => native.readLine(child, fd),
      async read() {
        const b = await native.read(child, fd);
        return b === null ? null : new Uint8Array(b);
      },
      lines,
      [Symbol.asyncIterator]: lines,
    });
  };
  const spawn = (command, args = [], options = {}) => {
    if (options === null || typeof options !== 'object') {
      throw new TypeError('process.spawn(command, args, options): options must be an object');
    }
    const { cwd, env, stdin = 'null', stdout = 'piped', stderr = 'piped' } = options;
    const child = native.spawn(command, args, cwd ?? null, env ?? null, stdin, stdout, stderr);
    let status;
    return Object.freeze({
      pid: native.pid(child),
      stdout: stdout === 'piped' ? reader(child, 1) : null,
      stderr: stderr === 'piped' ? reader(child, 2) : null,
      stdin: stdin === 'piped' ? Object.freeze({
        write(data) {
          if (typeof data === 'string') return native.write(child, data);
          if (data instanceof Uint8Array) return native.writeBytes(child, data.buffer, data.byteOffset, data.byteLength);
          throw new TypeError('stdin.write(data): data must be a string or a Uint8Array');
        },
        close: () => native.closeStdin(child),
      }) : null,
      get status() {
        status ??= (async () => { const s = await native.status(child); return { code: s.code, success: s.success, signal: s.signal }; })();
        return status;
      },
      kill: (signal = 'SIGTERM') => native.kill(child, signal),
    });
  };
  return Object.freeze({ run: (command, args) => native.run(command, args), spawn });
}
