// The JavaScript face of Braid's channels and sync primitives (see JsSync.java).
//
// Evaluated once per context as an internal source, so its frames stay out of guest stack
// traces: an error thrown here points at the guest line that called in. It is a function of
// `native`, the Java side (functions taking opaque handles); the classes below keep their
// handle in a private field, and `native` itself never reaches guest code.
//
// Every method that waits returns the awaitable `native` made (a Braid future): it is not
// wrapped in a promise here, so that braid.select / race / timeout can drop it.
(native) => {
  'use strict';
  const KEY = Symbol('braid');
  const MAX_PERMITS = native.MAX_PERMITS;

  const show = (v) => {
    try {
      if (typeof v === 'string') return JSON.stringify(v);
      if (typeof v === 'function') return 'a function';
      if (Array.isArray(v)) return 'an array';
      return String(v);
    } catch (e) {
      return typeof v;
    }
  };

  const integer = (what, v, min, max) => {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      throw new TypeError(`${what}: expected an integer, got ${show(v)}`);
    }
    if (v < min || v > max) {
      throw new RangeError(`${what}: ${v} is out of range (${min} to ${max})`);
    }
    return v;
  };

  const func = (what, fn) => {
    if (typeof fn !== 'function') {
      throw new TypeError(`${what}: expected a function, got ${show(fn)}`);
    }
    return fn;
  };

  const sendable = (what, v) => {
    if (v === undefined) {
      throw new TypeError(`${what}: undefined cannot be sent, because receivers read it as `
          + '"closed and drained"; send null instead');
    }
    return v;
  };

  const internal = (key, what) => {
    if (key !== KEY) {
      throw new TypeError(`${what} objects are made by braid, not constructed directly`);
    }
  };

  // The error classes are plain functions around `new Error`: a `class ... extends Error`
  // defined in this internal source would capture no stack frames at all in Graal.js (it
  // skips frames up to the constructor's, which is hidden), so the guest would not see where
  // the error came from.
  const errorClass = (name, init) => {
    function BraidError(message, ...rest) {
      const e = new Error(message);
      Object.setPrototypeOf(e, new.target ? new.target.prototype : BraidError.prototype);
      init(e, ...rest);
      return e;
    }
    Object.defineProperty(BraidError, 'name', { value: name });
    BraidError.prototype = Object.create(Error.prototype, {
      constructor: { value: BraidError, writable: true, configurable: true },
      name: { value: name, writable: true, configurable: true },
    });
    Object.setPrototypeOf(BraidError, Error);
    return BraidError;
  };

  /** The channel or primitive was closed (a send after close, a oneshot closed unsent...). */
  const ClosedError = errorClass('ClosedError', () => {});

  /** A broadcast receiver fell behind: `skipped` values were overwritten before it read them. */
  const LaggedError = errorClass('LaggedError', (e, skipped) => { e.skipped = skipped; });

  /** An async iterator over a receiving end: `next()` is one of our awaitables. */
  const iterate = (next) => ({
    next,
    [Symbol.asyncIterator]() { return this; },
  });

  // ---- channels ----------------------------------------------------------------------

  class Channel {
    get [Symbol.toStringTag]() { return 'Channel'; }
    #h;
    constructor(key, h) { internal(key, 'Channel'); this.#h = h; }
    /** Resolves once the value is in the channel; waits for room when a bounded channel is full. */
    send(value, options) {
      sendable('channel.send(value)', value);
      if (native.chClosed(this.#h)) {
        // made here, so that its stack points at the sender
        return native.rejected(new ClosedError('channel.send(value): the channel is closed'));
      }
      return native.withSignal(native.chSend(this.#h, value), options, 'channel.send');
    }
    /** The next value, or undefined once the channel is closed and drained. */
    recv(options) { return native.withSignal(native.chRecv(this.#h), options, 'channel.recv'); }
    /** No more sends; receivers drain what was sent, then see the end. */
    close() { native.chClose(this.#h); }
    get closed() { return native.chClosed(this.#h); }
    get length() { return native.chLen(this.#h); }
    [Symbol.asyncIterator]() { const h = this.#h; return iterate(() => native.chNext(h)); }
  }

  const channel = (capacity) => {
    if (capacity === undefined || capacity === Infinity) {
      return new Channel(KEY, native.chNew(-1));
    }
    if (capacity === 0) {
      throw new RangeError('braid.channel(capacity): capacity must be at least 1 '
          + '(leave it out for an unbounded channel)');
    }
    return new Channel(KEY, native.chNew(integer('braid.channel(capacity)', capacity, 1, MAX_PERMITS)));
  };

  class Oneshot {
    get [Symbol.toStringTag]() { return 'Oneshot'; }
    #h;
    #used = false;
    constructor(key, h) { internal(key, 'Oneshot'); this.#h = h; }
    /** Sends the one value: true if it was delivered, false if the oneshot was closed. */
    send(value) {
      if (this.#used) throw new Error('oneshot.send(value): a value was already sent');
      this.#used = true;
      return native.osSend(this.#h, value);
    }
    /** The value; rejects with ClosedError if the oneshot was closed without one. */
    recv(options) { return native.withSignal(native.osRecv(this.#h), options, 'oneshot.recv'); }
    /** Closes without a value (does nothing after a send). */
    close() { native.osClose(this.#h); }
  }

  class Broadcast {
    get [Symbol.toStringTag]() { return 'Broadcast'; }
    #h;
    constructor(key, h) { internal(key, 'Broadcast'); this.#h = h; }
    /** Sends to every subscribed receiver; returns how many there are (0: the value is dropped). */
    send(value) {
      const n = native.bcSend(this.#h, sendable('broadcast.send(value)', value));
      if (n < 0) throw new ClosedError('broadcast.send(value): the broadcast channel is closed');
      return n;
    }
    /** A receiver of every value sent from now on. */
    subscribe() {
      const r = native.bcSubscribe(this.#h);
      if (r === null) throw new ClosedError('broadcast.subscribe(): the broadcast channel is closed');
      return new BroadcastReceiver(KEY, r);
    }
    /** Ends the stream: receivers drain what they have not read, then see the end. */
    close() { native.bcClose(this.#h); }
    get receiverCount() { return native.bcReceivers(this.#h); }
  }

  class BroadcastReceiver {
    get [Symbol.toStringTag]() { return 'BroadcastReceiver'; }
    #r;
    constructor(key, r) { internal(key, 'BroadcastReceiver'); this.#r = r; }
    /** The next value, undefined at the end; rejects with LaggedError after an overrun. */
    recv(options) { return native.withSignal(native.bcRecv(this.#r), options, 'broadcast.recv'); }
    /** Unsubscribes. */
    close() { native.bcUnsubscribe(this.#r); }
    [Symbol.asyncIterator]() { const r = this.#r; return iterate(() => native.bcNext(r)); }
  }

  class Watch {
    get [Symbol.toStringTag]() { return 'Watch'; }
    #h;
    constructor(key, h) { internal(key, 'Watch'); this.#h = h; }
    /** Publishes a new value; returns whether any receiver is subscribed. */
    send(value) {
      const r = native.wSend(this.#h, value);
      if (r < 0) throw new ClosedError('watch.send(value): the watch channel is closed');
      return r > 0;
    }
    /** The latest value. */
    borrow() { return native.wBorrow(this.#h); }
    /** A receiver that has seen the current value. */
    subscribe() { return new WatchReceiver(KEY, native.wSubscribe(this.#h)); }
    /** Closes the sending side: changed() rejects with ClosedError once every change is seen. */
    close() { native.wClose(this.#h); }
  }

  class WatchReceiver {
    get [Symbol.toStringTag]() { return 'WatchReceiver'; }
    #r;
    constructor(key, r) { internal(key, 'WatchReceiver'); this.#r = r; }
    /** Resolves when a value newer than the last one seen is published, and marks it seen. */
    changed(options) { return native.withSignal(native.wChanged(this.#r), options, 'watch.changed'); }
    /** The latest value (does not mark it seen). */
    borrow() { return native.wRxBorrow(this.#r); }
    /** The latest value, marked seen. */
    borrowAndUpdate() { return native.wRxBorrowAndUpdate(this.#r); }
    close() { native.wRxClose(this.#r); }
  }

  // ---- locks -------------------------------------------------------------------------

  class Semaphore {
    get [Symbol.toStringTag]() { return 'Semaphore'; }
    #h;
    constructor(permits) {
      this.#h = native.semNew(integer('new braid.Semaphore(permits)', permits, 0, MAX_PERMITS));
    }
    /** Resolves with a permit for n permits, in arrival order; release it with permit.release(). */
    acquire(n = 1, options) {
      if (typeof n === 'object' && n !== null && options === undefined) { options = n; n = 1; } // acquire({signal})
      return native.withSignal(native.semAcquire(this.#h, integer('semaphore.acquire(n)', n, 1, MAX_PERMITS)),
          options, 'semaphore.acquire');
    }
    /** Calls fn(...args) holding one permit, released when its promise settles (or it is cancelled). */
    withPermit(fn, ...args) { return native.semWithPermit(this.#h, func('semaphore.withPermit(fn)', fn), args); }
    get available() { return native.semAvailable(this.#h); }
  }

  class Permit {
    get [Symbol.toStringTag]() { return 'Permit'; }
    #p;
    constructor(key, p) { internal(key, 'Permit'); this.#p = p; }
    /** Gives the permits back (a second call does nothing). */
    release() { native.permitRelease(this.#p); }
    get permits() { return native.permitCount(this.#p); }
  }

  class Mutex {
    get [Symbol.toStringTag]() { return 'Mutex'; }
    #h;
    constructor(value) { this.#h = native.mxNew(value); }
    /** Resolves with a guard once the lock is ours (in arrival order); unlock with guard.unlock(). */
    lock(options) { return native.withSignal(native.mxLock(this.#h), options, 'mutex.lock'); }
    /** Calls fn(guard, ...args) holding the lock, unlocked when its promise settles (or it is cancelled). */
    withLock(fn, ...args) { return native.mxWithLock(this.#h, func('mutex.withLock(fn)', fn), args); }
    get locked() { return native.mxLocked(this.#h); }
  }

  class MutexGuard {
    get [Symbol.toStringTag]() { return 'MutexGuard'; }
    #g;
    constructor(key, g) { internal(key, 'MutexGuard'); this.#g = g; }
    #held(what) {
      if (!native.guardHeld(this.#g)) throw new Error(`mutex guard: ${what} after unlock()`);
    }
    /** The value the mutex protects. */
    get value() { this.#held('value read'); return native.guardGet(this.#g); }
    set value(v) { this.#held('value written'); native.guardSet(this.#g, v); }
    /** Unlocks (a second call does nothing). */
    unlock() { native.guardUnlock(this.#g); }
  }

  // ---- tasks and time ----------------------------------------------------------------

  class JoinSet {
    get [Symbol.toStringTag]() { return 'JoinSet'; }
    #h;
    constructor() { this.#h = native.setNew(); }
    /** Spawns fn(...args) as a task of this set; returns {id, abort(), isFinished()}. */
    spawn(fn, ...args) { return native.setSpawn(this.#h, func('joinSet.spawn(fn)', fn), args); }
    /** The next task's value in finishing order (rejects with its error); undefined when empty. */
    joinNext(options) { return native.withSignal(native.setJoinNext(this.#h), options, 'joinSet.joinNext'); }
    /** Aborts every task; they stay in the set until joined (joinNext rejects with AbortError). */
    abortAll() { native.setAbortAll(this.#h); }
    /** Aborts every task and waits until all of them have ended. */
    shutdown() { return native.setShutdown(this.#h); }
    get size() { return native.setSize(this.#h); }
  }

  class Interval {
    get [Symbol.toStringTag]() { return 'Interval'; }
    #h;
    constructor(key, h) { internal(key, 'Interval'); this.#h = h; }
    /** The next tick: ms since the interval started at which it was due (the first is 0, at once). */
    tick(options) { return native.withSignal(native.ivTick(this.#h), options, 'interval.tick'); }
    /** Stops ticking: pending and later tick()s reject with ClosedError. */
    stop() { native.ivStop(this.#h); }
  }

  const interval = (ms) => {
    if (typeof ms !== 'number' || !(ms > 0) || ms === Infinity) {
      throw new RangeError(`braid.interval(ms): expected a positive number of milliseconds, got ${show(ms)}`);
    }
    return new Interval(KEY, native.ivNew(ms));
  };

  const spawnBlocking = (fn, ...args) => {
    const problem = native.blockingProblem(fn, args);
    if (problem !== null) throw new TypeError(problem);
    return native.spawnBlocking(fn, args);
  };

  return {
    api: {
      channel,
      oneshot: () => new Oneshot(KEY, native.osNew()),
      broadcast: (capacity) => new Broadcast(KEY,
          native.bcNew(integer('braid.broadcast(capacity)', capacity, 1, MAX_PERMITS))),
      watch: (initial) => new Watch(KEY, native.wNew(initial)),
      interval,
      spawnBlocking,
      Semaphore,
      Mutex,
      JoinSet,
      ClosedError,
      LaggedError,
    },
    make: {
      undefined: undefined,
      iterResult: (done, value) => ({ done, value }),
      closedError: (message) => new ClosedError(message),
      laggedError: (message, skipped) => new LaggedError(message, skipped),
      permit: (p) => new Permit(KEY, p),
      guard: (g) => new MutexGuard(KEY, g),
    },
  };
}
