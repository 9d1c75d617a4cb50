// Braid: Event, EventTarget, DOMException (when missing), AbortController and AbortSignal
// as in browsers and Node, plus the helpers JsAbort uses to give braid.* waits a {signal}.
// `native` is the Java side: setTimeout (the session's own, whatever the guest did to the
// global), uncaught (reports an error a listener threw) and now (performance.now()).
(native) => {
  'use strict';
  const apply = Reflect.apply;
  const define = (name, value) => Object.defineProperty(globalThis, name,
      { value, writable: true, configurable: true, enumerable: false });
  const kCreate = Symbol('braid.create');
  const describe = (v) => v === null ? 'null' : v === undefined ? 'undefined'
      : typeof v === 'object' ? 'an instance of ' + (v.constructor?.name || 'Object') : 'a ' + typeof v;

  // ---- DOMException: only what errors of the web platform need ---------------------------
  const CODES = { IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4,
    InvalidCharacterError: 5, NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9,
    InvalidStateError: 11, SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14,
    InvalidAccessError: 15, TypeMismatchError: 17, SecurityError: 18, NetworkError: 19,
    AbortError: 20, URLMismatchError: 21, QuotaExceededError: 22, TimeoutError: 23,
    InvalidNodeTypeError: 24, DataCloneError: 25 };
  let DOMExceptionClass = globalThis.DOMException;
  if (typeof DOMExceptionClass !== 'function') {
    DOMExceptionClass = class DOMException extends Error {
      #name;
      constructor(message = '', options = 'Error') {
        const named = typeof options === 'object' && options !== null;
        super(String(message), named && 'cause' in options ? { cause: options.cause } : undefined);
        this.#name = named ? (options.name === undefined ? 'Error' : String(options.name)) : String(options);
      }
      get name() { return this.#name; }
      get code() { return CODES[this.#name] ?? 0; }
      get [Symbol.toStringTag]() { return 'DOMException'; }
    };
    for (const [name, code] of Object.entries(CODES)) {
      const constant = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase().replace(/_ERROR$/, '_ERR');
      Object.defineProperty(DOMExceptionClass, constant, { value: code, enumerable: true });
    }
    define('DOMException', DOMExceptionClass);
  }
  const DOMException = DOMExceptionClass;
  const abortReason = () => new DOMException('This operation was aborted', 'AbortError');

  // ---- Event and EventTarget ---------------------------------------------------------------
  let dispatching; // (event, target | null): sets the event's target during a dispatch
  let stopped;     // (event) => whether stopImmediatePropagation() was called
  class Event {
    #type; #cancelable; #bubbles; #composed; #timeStamp;
    #target = null; #defaultPrevented = false; #stop = false;
    constructor(type, init = undefined) {
      if (arguments.length === 0) throw new TypeError('Event: the "type" argument must be given');
      if (init !== undefined && init !== null && typeof init !== 'object') {
        throw new TypeError('Event: the options must be an object, got ' + describe(init));
      }
      this.#type = String(type);
      this.#cancelable = !!init?.cancelable;
      this.#bubbles = !!init?.bubbles;
      this.#composed = !!init?.composed;
      this.#timeStamp = native.now();
    }
    get type() { return this.#type; }
    get target() { return this.#target; }
    get currentTarget() { return this.#target; }
    get srcElement() { return this.#target; }
    get eventPhase() { return this.#target === null ? 0 : 2; }
    get cancelable() { return this.#cancelable; }
    get bubbles() { return this.#bubbles; }
    get composed() { return this.#composed; }
    get defaultPrevented() { return this.#defaultPrevented; }
    get returnValue() { return !this.#defaultPrevented; }
    get isTrusted() { return false; }
    get timeStamp() { return this.#timeStamp; }
    composedPath() { return this.#target === null ? [] : [this.#target]; }
    preventDefault() { if (this.#cancelable) this.#defaultPrevented = true; }
    stopPropagation() {}
    stopImmediatePropagation() { this.#stop = true; }
    get [Symbol.toStringTag]() { return 'Event'; }
    static {
      dispatching = (e, target) => { e.#target = target; e.#stop = false; };
      stopped = (e) => e.#stop;
    }
  }
  Object.defineProperties(Event, { NONE: { value: 0 }, CAPTURING_PHASE: { value: 1 },
    AT_TARGET: { value: 2 }, BUBBLING_PHASE: { value: 3 } });

  const flag = (options, name) => typeof options === 'boolean' ? (name === 'capture' && options)
      : options !== null && typeof options === 'object' && !!options[name];
  let isSignal; // (v) => whether v is one of our AbortSignals
  let onAbortInternal; // (signal, fn) => unsubscribe: runs before the 'abort' listeners
  class EventTarget {
    #listeners = new Map(); // type -> [{callback, capture, once, removed}]
    addEventListener(type, callback, options = undefined) {
      if (callback === null || callback === undefined) return;
      if (typeof callback !== 'function' && typeof callback !== 'object') {
        throw new TypeError('addEventListener: the listener must be a function or an object with handleEvent, got '
            + describe(callback));
      }
      const capture = flag(options, 'capture');
      const once = flag(options, 'once');
      const signal = options !== null && typeof options === 'object' ? options.signal : undefined;
      if (signal !== undefined && !isSignal(signal)) {
        throw new TypeError('addEventListener: options.signal must be an AbortSignal, got ' + describe(signal));
      }
      if (signal?.aborted) return;
      type = String(type);
      let list = this.#listeners.get(type);
      if (list === undefined) this.#listeners.set(type, list = []);
      if (list.some((l) => l.callback === callback && l.capture === capture)) return;
      list.push({ callback, capture, once, removed: false });
      if (signal !== undefined) {
        onAbortInternal(signal, () => this.removeEventListener(type, callback, { capture }));
      }
    }
    removeEventListener(type, callback, options = undefined) {
      const list = this.#listeners.get(String(type));
      if (list === undefined) return;
      const capture = flag(options, 'capture');
      const i = list.findIndex((l) => l.callback === callback && l.capture === capture);
      if (i >= 0) {
        list[i].removed = true;
        list.splice(i, 1);
      }
    }
    dispatchEvent(event) {
      if (!(event instanceof Event)) {
        throw new TypeError('dispatchEvent: the argument must be an Event, got ' + describe(event));
      }
      const list = this.#listeners.get(event.type);
      dispatching(event, this);
      try {
        for (const l of list === undefined ? [] : [...list]) {
          if (l.removed) continue;
          if (l.once) this.removeEventListener(event.type, l.callback, { capture: l.capture });
          try {
            if (typeof l.callback === 'function') {
              apply(l.callback, this, [event]);
            } else if (typeof l.callback.handleEvent === 'function') {
              l.callback.handleEvent(event);
            }
          } catch (e) {
            native.uncaught(e, 'uncaught error in a "' + event.type + '" event listener');
          }
          if (stopped(event)) break;
        }
      } finally {
        dispatching(event, null);
      }
      return !event.defaultPrevented;
    }
    get [Symbol.toStringTag]() { return 'EventTarget'; }
  }

  // ---- AbortSignal and AbortController ----------------------------------------------------
  let signalAbort; // (signal, reason): the abort algorithm
  class AbortSignal extends EventTarget {
    #aborted = false;
    #reason = undefined;
    #algorithms = new Set(); // run before the 'abort' event: Braid waits, AbortSignal.any
    #onabort = null;
    #handlerAdded = false;
    constructor(key) {
      if (key !== kCreate) throw new TypeError('Illegal constructor: use new AbortController().signal, AbortSignal.abort() or AbortSignal.timeout()');
      super();
    }
    get aborted() { return this.#aborted; }
    get reason() { return this.#reason; }
    throwIfAborted() { if (this.#aborted) throw this.#reason; }
    get onabort() { return this.#onabort; }
    set onabort(fn) {
      this.#onabort = typeof fn === 'function' || (fn !== null && typeof fn === 'object') ? fn : null;
      if (!this.#handlerAdded && this.#onabort !== null) {
        this.#handlerAdded = true; // an event handler attribute: one listener, in first-set order
        this.addEventListener('abort', (e) => {
          const h = this.#onabort;
          if (typeof h === 'function') return apply(h, this, [e]);
        });
      }
    }
    get [Symbol.toStringTag]() { return 'AbortSignal'; }

    static abort(reason = undefined) {
      const s = new AbortSignal(kCreate);
      s.#aborted = true;
      s.#reason = reason === undefined ? abortReason() : reason;
      return s;
    }
    static timeout(ms) {
      const d = typeof ms === 'number' ? ms : NaN;
      if (!(d >= 0 && d <= Number.MAX_SAFE_INTEGER) || !Number.isInteger(d)) {
        throw new RangeError('AbortSignal.timeout: the delay must be a whole number of milliseconds >= 0, got '
            + (typeof ms === 'number' ? ms : describe(ms)));
      }
      const s = new AbortSignal(kCreate);
      native.setTimeout(() => signalAbort(s,
          new DOMException('The operation was aborted due to timeout', 'TimeoutError')), d);
      return s;
    }
    static any(signals) {
      if (signals === null || typeof signals !== 'object' || typeof signals[Symbol.iterator] !== 'function') {
        throw new TypeError('AbortSignal.any: expected an iterable of AbortSignals, got ' + describe(signals));
      }
      const list = [...signals];
      for (const x of list) {
        if (!isSignal(x)) throw new TypeError('AbortSignal.any: every element must be an AbortSignal, got ' + describe(x));
      }
      const s = new AbortSignal(kCreate);
      const done = list.find((x) => x.#aborted);
      if (done !== undefined) {
        s.#aborted = true;
        s.#reason = done.#reason;
        return s;
      }
      const unsubscribe = [];
      for (const x of list) {
        unsubscribe.push(onAbortInternal(x, () => {
          for (const u of unsubscribe) u();
          signalAbort(s, x.#reason);
        }));
      }
      return s;
    }
    static {
      isSignal = (v) => v !== null && typeof v === 'object' && #aborted in v;
      onAbortInternal = (s, fn) => {
        if (s.#aborted) return () => {};
        const entry = () => fn();
        s.#algorithms.add(entry);
        return () => { s.#algorithms.delete(entry); };
      };
      signalAbort = (s, reason) => {
        if (s.#aborted) return;
        s.#aborted = true;
        s.#reason = reason === undefined ? abortReason() : reason;
        const algorithms = [...s.#algorithms];
        s.#algorithms.clear();
        for (const a of algorithms) {
          try {
            a();
          } catch (e) {
            native.uncaught(e, 'uncaught error while aborting');
          }
        }
        s.dispatchEvent(new Event('abort'));
      };
    }
  }

  class AbortController {
    #signal = new AbortSignal(kCreate);
    get signal() { return this.#signal; }
    abort(reason = undefined) { signalAbort(this.#signal, reason); }
    get [Symbol.toStringTag]() { return 'AbortController'; }
  }

  define('Event', Event);
  define('EventTarget', EventTarget);
  define('AbortSignal', AbortSignal);
  define('AbortController', AbortController);

  // ---- for JsAbort: {signal} on braid.* waits -----------------------------------------------
  const isPlainObject = (v) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || typeof v.then === 'function') return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
  };
  return {
    /** The signal of an options argument at a fixed place (sleep, timeout), or null. */
    signalOf: (options, fn) => {
      if (options === undefined || options === null) return null;
      if (typeof options !== 'object') {
        throw new TypeError('braid.' + fn + ': the options must be an object such as {signal}, got ' + describe(options));
      }
      const s = options.signal;
      if (s === undefined) return null;
      if (!isSignal(s)) throw new TypeError('braid.' + fn + ': options.signal must be an AbortSignal, got ' + describe(s));
      return s;
    },
    /** The signal of a trailing {signal} argument (join, select, race...), or null. */
    trailingSignal: (v) => isPlainObject(v) && isSignal(v.signal) ? v.signal : null,
    aborted: (s) => s.aborted,
    /** Calls fn once when s aborts (before its listeners); returns the unsubscribe function. */
    watch: (s, fn) => onAbortInternal(s, fn),
    /** What an aborted wait rejects with (as Node's timers/promises): an AbortError, cause = reason. */
    abortError: (s) => new DOMException('The operation was aborted', { name: 'AbortError', cause: s.reason }),
  };
}
