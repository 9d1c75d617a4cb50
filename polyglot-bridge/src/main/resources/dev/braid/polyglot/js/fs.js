// braid.fs for JavaScript: the language-neutral natives (SystemApi.fs) shaped the way Deno's
// file API is: promises, Uint8Array bytes, async iterables for directories.
(native) => {
  'use strict';
  const bytes = (data, signature) => {
    if (data instanceof Uint8Array) {
      return [data.buffer, data.byteOffset, data.byteLength];
    }
    if (data instanceof ArrayBuffer) {
      return [data, 0, data.byteLength];
    }
    throw new TypeError(`${signature}: data must be a Uint8Array or an ArrayBuffer, got ${data === null ? 'null' : typeof data}`);
  };
  const entry = (e) => ({ name: e.name, isFile: e.isFile, isDirectory: e.isDirectory, isSymlink: e.isSymlink });
  const options = (o, signature) => {
    if (o === undefined) {
      return {};
    }
    if (o === null || typeof o !== 'object') {
      throw new TypeError(`${signature}: options must be an object, got ${o === null ? 'null' : typeof o}`);
    }
    return o;
  };
  const patterns = (list, what) => {
    if (list === undefined) {
      return undefined;
    }
    if (!Array.isArray(list) || !list.every((re) => re instanceof RegExp)) {
      throw new TypeError(`fs.walk(root, options): ${what} must be an array of RegExp`);
    }
    return list;
  };
  const fs = {
    readText: (path) => native.readText(path),
    writeText: (path, text) => native.writeText(path, text),
    async readBytes(path) {
      return new Uint8Array(await native.readBytes(path));
    },
    writeBytes: (path, data) => native.writeBytes(path, ...bytes(data, 'fs.writeBytes(path, data)')),
    append: (path, data) => (typeof data === 'string' ? native.appendText(path, data)
      : native.appendBytes(path, ...bytes(data, 'fs.append(path, data)'))),
    async stat(path) {
      const s = await native.stat(path);
      return { size: s.size, isFile: s.isFile, isDirectory: s.isDirectory, isSymlink: s.isSymlink,
        mtime: s.mtime === null ? null : new Date(s.mtime) };
    },
    async *readDir(path) {
      for (const e of await native.readDir(path)) {
        yield entry(e);
      }
    },
    async *walk(root, opts) {
      const o = options(opts, 'fs.walk(root, options)');
      const match = patterns(o.match, 'match');
      const skip = patterns(o.skip, 'skip');
      const includeFiles = o.includeFiles ?? true;
      const includeDirs = o.includeDirs ?? true;
      const maxDepth = o.maxDepth ?? Infinity;
      const walk = native.walkOpen(root, maxDepth === Infinity ? -1 : maxDepth);
      try {
        for (;;) {
          const batch = await native.walkNext(walk);
          if (batch.length === 0) {
            return;
          }
          for (const e of batch) {
            if ((!includeFiles && !e.isDirectory) || (!includeDirs && e.isDirectory)
                || (match && !match.some((re) => re.test(e.path))) || (skip && skip.some((re) => re.test(e.path)))) {
              continue;
            }
            yield { path: e.path, ...entry(e) };
          }
        }
      } finally {
        native.walkClose(walk);
      }
    },
    mkdir: (path, opts) => native.mkdir(path, options(opts, 'fs.mkdir(path, options)').recursive === true),
    remove: (path, opts) => native.remove(path, options(opts, 'fs.remove(path, options)').recursive === true),
    rename: (from, to) => native.rename(from, to),
    copy: (from, to) => native.copy(from, to),
    makeTempDir: (opts) => native.makeTempDir(options(opts, 'fs.makeTempDir(options)').prefix ?? 'braid-'),
  };
  return Object.freeze(fs);
}
