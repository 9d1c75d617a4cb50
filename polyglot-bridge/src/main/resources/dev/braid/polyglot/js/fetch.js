// fetch, Headers, Request and Response as the web platform has them, over the natives of
// Http.java (the JDK's HTTP client). A body streams: response.body is an async iterable of
// Uint8Array chunks with getReader(); text(), json(), arrayBuffer() and bytes() read it all.
// An AbortSignal (init.signal; AbortSignal.timeout(ms) for a deadline) cancels for real.
(native, withSignal) => {
  'use strict';
  const encoder = new TextEncoder();
  // As the web's fetch: an aborted signal rejects with its reason (an AbortError, or a
  // TimeoutError from AbortSignal.timeout).
  const abortable = async (awaitable, signal) => {
    try {
      return await withSignal(awaitable, signal ? { signal } : null, 'fetch');
    } catch (e) {
      if (signal?.aborted && e?.name === 'AbortError' && signal.reason !== undefined) throw signal.reason;
      throw e;
    }
  };
  const decoder = () => new TextDecoder();

  class Headers {
    #map = new Map(); // lower-case name -> [values]
    constructor(init) {
      if (init instanceof Headers) init = [...init];
      if (Array.isArray(init)) {
        for (const pair of init) {
          if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('Headers: each entry must be a [name, value] pair');
          this.append(pair[0], pair[1]);
        }
      } else if (init !== undefined && init !== null) {
        for (const k of Object.keys(init)) this.append(k, init[k]);
      }
    }
    append(name, value) {
      const k = String(name).toLowerCase();
      const list = this.#map.get(k) ?? [];
      list.push(String(value));
      this.#map.set(k, list);
    }
    set(name, value) { this.#map.set(String(name).toLowerCase(), [String(value)]); }
    get(name) {
      const list = this.#map.get(String(name).toLowerCase());
      return list === undefined ? null : list.join(', ');
    }
    has(name) { return this.#map.has(String(name).toLowerCase()); }
    delete(name) { this.#map.delete(String(name).toLowerCase()); }
    *entries() {
      for (const k of [...this.#map.keys()].sort()) yield [k, this.get(k)];
    }
    *keys() { for (const [k] of this.entries()) yield k; }
    *values() { for (const [, v] of this.entries()) yield v; }
    forEach(fn, self) { for (const [k, v] of this.entries()) fn.call(self, v, k, this); }
    [Symbol.iterator]() { return this.entries(); }
    get [Symbol.toStringTag]() { return 'Headers'; }
  }

  const bodyBytes = (body) => {
    if (body === undefined || body === null) return null;
    if (typeof body === 'string') return encoder.encode(body);
    if (body instanceof Uint8Array) return body;
    if (body instanceof ArrayBuffer) return new Uint8Array(body);
    if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
    throw new TypeError('fetch: body must be a string, a Uint8Array or an ArrayBuffer');
  };

  class Request {
    constructor(input, init = {}) {
      const from = input instanceof Request ? input : null;
      this.url = from ? from.url : String(input);
      this.method = String(init.method ?? from?.method ?? 'GET').toUpperCase();
      this.headers = new Headers(init.headers ?? from?.headers);
      this.body = init.body !== undefined ? bodyBytes(init.body) : from?.body ?? null;
      this.redirect = init.redirect ?? from?.redirect ?? 'follow';
      this.signal = init.signal ?? from?.signal ?? null;
    }
    get [Symbol.toStringTag]() { return 'Request'; }
  }

  const statusTexts = { 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently',
    302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
    409: 'Conflict', 410: 'Gone', 418: "I'm a Teapot", 429: 'Too Many Requests', 500: 'Internal Server Error',
    501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout' };

  class Response {
    #h;
    #signal;
    #used = false;
    constructor(h, signal) {
      this.#h = h;
      this.#signal = signal;
      this.status = native.status(h);
      this.statusText = statusTexts[this.status] ?? '';
      this.ok = this.status >= 200 && this.status < 300;
      this.url = native.url(h);
      this.redirected = native.redirected(h);
      const flat = native.headers(h);
      const pairs = [];
      for (let i = 0; i + 1 < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
      this.headers = new Headers(pairs);
    }
    #take(what) {
      if (this.#used) throw new TypeError(`Response.${what}: the body has already been read`);
      this.#used = true;
    }
    get bodyUsed() { return this.#used; }
    get body() {
      const h = this.#h;
      const signal = this.#signal;
      const self = this;
      const next = async () => {
        const b = await abortable(native.bodyRead(h), signal);
        return b === null ? { done: true, value: undefined } : { done: false, value: new Uint8Array(b) };
      };
      return {
        getReader() {
          self.#take('body');
          return { read: next, cancel: async () => { native.bodyCancel(h); }, releaseLock() {} };
        },
        async *[Symbol.asyncIterator]() {
          self.#take('body');
          try {
            for (let r = await next(); !r.done; r = await next()) yield r.value;
          } finally {
            native.bodyCancel(h);
          }
        },
      };
    }
    async bytes() {
      this.#take('bytes');
      return new Uint8Array(await abortable(native.bodyAll(this.#h), this.#signal));
    }
    async arrayBuffer() {
      const b = await this.bytes();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    }
    async text() { return decoder().decode(await this.bytes()); }
    async json() { return JSON.parse(await this.text()); }
    get [Symbol.toStringTag]() { return 'Response'; }
  }

  async function fetch(input, init = {}) {
    if (init === null || typeof init !== 'object') throw new TypeError('fetch(url, init): init must be an object');
    const req = new Request(input, init);
    if (!['follow', 'manual', 'error'].includes(req.redirect)) {
      throw new TypeError(`fetch: redirect must be 'follow', 'manual' or 'error', got '${req.redirect}'`);
    }
    const flat = [];
    for (const [k, v] of req.headers) flat.push(k, v);
    const body = req.body;
    const started = native.fetch(req.url, req.method, flat, body === null ? null : body.buffer,
      body === null ? 0 : body.byteOffset, body === null ? 0 : body.byteLength, req.redirect);
    const h = await abortable(started, req.signal);
    return new Response(h, req.signal);
  }

  for (const [name, value] of [['fetch', fetch], ['Headers', Headers], ['Request', Request], ['Response', Response]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
