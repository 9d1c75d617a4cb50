// TextEncoder and TextDecoder as the WHATWG Encoding standard has them, UTF-8 only (as
// Node's TextEncoder; its TextDecoder knows more encodings). The coding is the JDK's.
(native) => {
  'use strict';
  const view = (input, what) => {
    if (input === undefined) return [new ArrayBuffer(0), 0, 0];
    if (ArrayBuffer.isView(input)) return [input.buffer, input.byteOffset, input.byteLength];
    if (input instanceof ArrayBuffer) return [input, 0, input.byteLength];
    throw new TypeError(`${what}: input must be an ArrayBuffer or a view of one, got ${input === null ? 'null' : typeof input}`);
  };
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      return new Uint8Array(native.encode(String(input)));
    }
    encodeInto(source, destination) {
      if (!(destination instanceof Uint8Array)) throw new TypeError('TextEncoder.encodeInto(source, destination): destination must be a Uint8Array');
      const text = String(source);
      let read = 0;
      let written = 0;
      for (const ch of text) {
        const bytes = native.encode(ch);
        const n = bytes.byteLength ?? new Uint8Array(bytes).length;
        if (written + n > destination.length) break;
        destination.set(new Uint8Array(bytes), written);
        written += n;
        read += ch.length;
      }
      return { read, written };
    }
    get [Symbol.toStringTag]() { return 'TextEncoder'; }
  }
  class TextDecoder {
    #decoder;
    #fatal;
    #ignoreBOM;
    #start = true;
    constructor(label = 'utf-8', options = {}) {
      const l = String(label).trim().toLowerCase();
      if (l !== 'utf-8' && l !== 'utf8' && l !== 'unicode-1-1-utf-8') {
        throw new RangeError(`TextDecoder: the encoding '${label}' is not supported (only utf-8)`);
      }
      this.#fatal = Boolean(options?.fatal);
      this.#ignoreBOM = Boolean(options?.ignoreBOM);
      this.#decoder = native.decoder(this.#fatal);
    }
    get encoding() { return 'utf-8'; }
    get fatal() { return this.#fatal; }
    get ignoreBOM() { return this.#ignoreBOM; }
    decode(input, options = {}) {
      const stream = Boolean(options?.stream);
      let text;
      try {
        text = native.decode(this.#decoder, ...view(input, 'TextDecoder.decode'), stream);
      } catch (e) {
        throw new TypeError(e.message);
      }
      if (this.#start && !this.#ignoreBOM && text.startsWith('\uFEFF')) text = text.slice(1);
      this.#start = !stream || (this.#start && text === '');
      return text;
    }
    get [Symbol.toStringTag]() { return 'TextDecoder'; }
  }
  for (const [name, value] of [['TextEncoder', TextEncoder], ['TextDecoder', TextDecoder]]) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }
}
