// braid.net for JavaScript, in Deno's shapes: connect(host, port) and listen({host, port})
// (bound at once; an async iterable of connections with addr.port and close()). A
// connection: write(textOrBytes), read() (a Uint8Array, null at the end), readLine(),
// lines() (an async iterable of lines), closeWrite() (half-close), close().
(native) => {
  'use strict';
  const connection = (c) => {
    const lines = async function* lines() {
      for (let line = await native.readLine(c); line !== null; line = await native.readLine(c)) {
        yield line;
      }
    };
    return Object.freeze({
      remoteAddress: native.remote(c),
      write(data) {
        if (typeof data === 'string') return native.write(c, data);
        if (data instanceof Uint8Array) return native.writeBytes(c, data.buffer, data.byteOffset, data.byteLength);
        throw new TypeError('connection.write(data): data must be a string or a Uint8Array');
      },
      async read() {
        const b = await native.read(c);
        return b === null ? null : new Uint8Array(b);
      },
      readLine: () => native.readLine(c),
      lines,
      closeWrite: () => native.closeWrite(c),
      close: () => { native.close(c); },
    });
  };
  return Object.freeze({
    async connect(host, port) {
      return connection(await native.connect(host, port));
    },
    listen(options = {}) {
      if (options === null || typeof options !== 'object') throw new TypeError('net.listen({host, port}): options must be an object');
      const { host = '127.0.0.1', port = 0 } = options;
      const l = native.listen(host, port);
      const accept = async () => {
        const c = await native.accept(l);
        return c === null ? null : connection(c);
      };
      return Object.freeze({
        addr: Object.freeze({ hostname: host, port: native.port(l) }),
        accept,
        close: () => { native.closeListener(l); },
        async *[Symbol.asyncIterator]() {
          for (let c = await accept(); c !== null; c = await accept()) yield c;
        },
      });
    },
  });
}
