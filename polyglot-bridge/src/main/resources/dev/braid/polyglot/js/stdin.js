// braid.stdin for JavaScript: the host's standard input as an async iterable of lines, with
// readLine() (a string without its line end, null at the end) and read() (a Uint8Array of the
// bytes available, null at the end); lines() is the iterable itself.
(native) => {
  'use strict';
  const lines = async function* lines() {
    for (let line = await native.readLine(); line !== null; line = await native.readLine()) {
      yield line;
    }
  };
  return Object.freeze({
    readLine: () => native.readLine(),
    async read() {
      const b = await native.read();
      return b === null ? null : new Uint8Array(b);
    },
    lines,
    [Symbol.asyncIterator]: lines,
  });
}
