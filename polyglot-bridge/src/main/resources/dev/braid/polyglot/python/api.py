# Braid: the `braid` module of a Python session (`import braid`). Evaluated once per session
# as an internal source, so its frames stay out of guest tracebacks. It is a function of the
# language-neutral natives: `tasks` (spawn, join, select, sleep, timeout... in milliseconds),
# `native` (channels, locks, join sets, intervals, blocking work; functions taking opaque
# handles), `system` (progress bars, the job) and `bridge` (the helpers of bridge.py). The
# natives never reach guest code; every function here checks its arguments and raises
# Python's own errors at the caller's line.
#
# Every function that waits returns the awaitable the natives made (a Braid future), not a
# coroutine of its own where it can, so that braid.select, race and timeout can cancel it and
# nothing starts before it is awaited (or handed to a combinator).

def _install(tasks, native, system, bridge):
    import sys
    import types

    m = types.ModuleType('braid', """Braid's runtime for Python coroutines.

Coroutines run as Braid tasks on the session's strand, on the same scheduler as the host's
Java tasks and the job's JavaScript. Times are in seconds. A cancelled task gets
CancelledError at its pending await, so its finally blocks run.
""")
    MAX_PERMITS = native.MAX_PERMITS
    ClosedError = bridge['ClosedError']
    _KEY = object()

    def _export(fn):
        fn.__module__ = 'braid'
        setattr(m, fn.__name__, fn)
        return fn

    def _show(v):
        try:
            r = repr(v)
        except BaseException:
            r = '<%s object>' % type(v).__name__
        return r if len(r) <= 60 else r[:57] + '...'

    def _millis(what, seconds):
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
            raise TypeError('%s: expected a number of seconds, got %s' % (what, _show(seconds)))
        if seconds != seconds:
            raise ValueError('%s: the number of seconds is NaN' % what)
        return max(0.0, float(seconds)) * 1000.0

    def _integer(what, v, lo, hi):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError('%s: expected an integer, got %s' % (what, _show(v)))
        if v < lo or v > hi:
            raise ValueError('%s: %d is out of range (%d to %d)' % (what, v, lo, hi))
        return v

    def _callable(what, fn):
        if not callable(fn):
            raise TypeError('%s: expected a function, got %s' % (what, _show(fn)))
        return fn

    def _internal(key, what):
        if key is not _KEY:
            raise TypeError('%s objects are made by braid, not constructed directly' % what)

    def _awaitables(what, aws):
        if len(aws) == 1 and isinstance(aws[0], (list, tuple)):
            aws = aws[0]
        return list(aws)

    # ---- tasks --------------------------------------------------------------------------

    @_export
    def spawn(fn, *args):
        """Starts fn(*args) as a task now and returns its handle: awaitable (the task's value,
        or its exception), with abort(), done() and id. fn is a coroutine function (or a plain
        one); a coroutine object or another awaitable is accepted too."""
        if not callable(fn) and not bridge['is_awaitable'](fn):
            raise TypeError('braid.spawn(fn, *args): fn must be a coroutine function or an awaitable, got %s' % _show(fn))
        return tasks.spawn(fn, *args)

    @_export
    def task(fn, *args):
        """A lazy task: fn(*args) starts only when the result is awaited, spawned, joined or
        selected."""
        _callable('braid.task(fn, *args)', fn)
        return tasks.task(fn, *args)

    @_export
    def join(*aws):
        """Awaits every awaitable (join(a, b) or join([a, b])); a list of their values in
        argument order. Waits for all of them even when one raises, then raises the first
        exception in argument order."""
        return tasks.join(_awaitables('braid.join', aws))

    @_export
    def try_join(*aws):
        """As join, but the first exception cancels the others and is raised at once."""
        return tasks.tryJoin(_awaitables('braid.try_join', aws))

    @_export
    def select(*aws):
        """The first of several awaitables to finish; the others are cancelled.
        select({'a': x, 'b': y}) gives ('a', value); select([x, y]) or select(x, y) gives
        (index, value)."""
        if len(aws) == 1 and isinstance(aws[0], dict):
            if not aws[0]:
                raise ValueError('braid.select({}): nothing to select from')
            return tasks.select(aws[0])
        aws = _awaitables('braid.select', aws)
        if not aws:
            raise ValueError('braid.select(): nothing to select from')
        return tasks.select(aws)

    @_export
    def race(*aws):
        """The value of the first awaitable to finish (or its exception); the others are
        cancelled."""
        aws = _awaitables('braid.race', aws)
        if not aws:
            raise ValueError('braid.race(): nothing to race')
        return tasks.race(aws)

    @_export
    def sleep(seconds):
        """Awaitable: None after the given number of seconds (on the runtime's clock)."""
        return tasks.sleep(_millis('braid.sleep(seconds)', seconds))

    @_export
    def yield_now():
        """Awaitable: lets the other tasks run, then resumes."""
        return tasks.yieldNow()

    @_export
    def timeout(seconds, aw):
        """aw's value, or TimeoutError after the given number of seconds (aw is then
        cancelled)."""
        ms = _millis('braid.timeout(seconds, aw)', seconds)
        return tasks.timeout(ms, aw)

    _DUMP = (('id', 'id'), ('name', 'name'), ('executor', 'executor'), ('state', 'state'), ('spawn_site', 'spawnSite'),
             ('age_ms', 'ageMs'), ('polls', 'polls'), ('waits_on', 'waitsOn'), ('thread', 'thread'))

    _dumps = []  # more tasks to list: asyncio's, once its Braid loop is made

    @_export
    def task_dump():
        """The session's tasks now: a list of dicts (id, name, state, waits_on, polls, ...).
        The asyncio tasks of a running Braid event loop are listed too (executor
        'asyncio loop', with their coroutine's name and where each waits)."""
        out = [{k: getattr(t, j) for k, j in _DUMP} for t in tasks.taskDump()]
        for more in _dumps:
            out += more()
        return out

    class Interval:
        """Ticks every period: await tick() for the next one."""
        __slots__ = ('_h',)

        def __init__(self, key, h):
            _internal(key, 'Interval')
            self._h = h

        async def tick(self):
            """The next tick: seconds since the interval started at which it was due (the
            first is 0, at once). Ticks missed while nobody waited come in a burst."""
            return (await native.ivTick(self._h)) / 1000.0

        def stop(self):
            """Stops ticking: pending and later tick()s raise ClosedError."""
            native.ivStop(self._h)

        def __aiter__(self):
            return self

        async def __anext__(self):
            try:
                return await self.tick()
            except ClosedError:
                raise StopAsyncIteration from None

    @_export
    def interval(seconds):
        """An Interval that ticks every given number of seconds."""
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not (0 < seconds < float('inf')):
            raise ValueError('braid.interval(seconds): expected a positive number of seconds, got %s' % _show(seconds))
        return Interval(_KEY, native.ivNew(seconds * 1000.0))

    @_export
    def spawn_blocking(fn, *args):
        """Runs fn(*args) on the runtime's blocking pool (for code that blocks: a slow
        library call, time.sleep) and returns the task's handle. Python code there takes
        turns with the session's other threads through the GIL, as threads do in CPython."""
        _callable('braid.spawn_blocking(fn, *args)', fn)
        return native.spawnBlockingGuest(fn, list(args))

    @_export
    def run(aw):
        """Runs a coroutine (or another awaitable) to completion as a task of the session and
        returns its value (or raises its exception), as asyncio.run does: how a script's
        synchronous top level starts its async code. The calling thread blocks, never one of
        the runtime's workers; it cannot be called from a coroutine running on Braid (await
        there instead)."""
        if not bridge['is_awaitable'](aw) and bridge['unwrap'](aw) is None:
            raise TypeError('braid.run(coro): expected a coroutine or another awaitable, got %s' % _show(aw))
        if system.onStrand():
            if type(aw) is bridge['coroutine_type']:
                aw.close()  # never awaited: no warning about it
            raise RuntimeError('braid.run() cannot be called from a coroutine running on Braid: await the coroutine instead')
        return system.run(aw)

    @_export
    def js(source):
        """Awaitable: the value of JavaScript source evaluated in the job's JavaScript
        session (made on first use; it may await at its top level). Data crosses as copies
        (lists, dicts); a function as a callable that runs in JavaScript and returns an
        awaitable; a promise as an awaitable. A JavaScript error is raised here with its
        name and message."""
        if not isinstance(source, str):
            raise TypeError('braid.js(source): source must be str, got %s' % type(source).__name__)
        return system.evalIn('js', source)

    # ---- channels -----------------------------------------------------------------------

    class _Iter:
        __slots__ = ('_next',)

        def __init__(self, next_):
            self._next = next_

        def __aiter__(self):
            return self

        async def __anext__(self):
            done, value = await self._next()
            if done:
                raise StopAsyncIteration
            return value

    class Channel:
        """A multi-producer channel; every task may send and receive. async for drains it
        until it is closed."""
        __slots__ = ('_h',)

        def __init__(self, key, h):
            _internal(key, 'Channel')
            self._h = h

        def send(self, value):
            """Awaitable: done once the value is in the channel (waits for room when a bounded
            channel is full). Delivered at once when there is room, even if not awaited."""
            if native.chClosed(self._h):
                raise ClosedError('channel.send(value): the channel is closed')
            return native.chSend(self._h, value)

        def recv(self):
            """Awaitable: the next value, or None once the channel is closed and drained
            (async for tells a sent None from the end)."""
            return native.chRecv(self._h)

        def close(self):
            """No more sends; receivers drain what was sent, then see the end."""
            native.chClose(self._h)

        @property
        def closed(self):
            return bool(native.chClosed(self._h))

        def __len__(self):
            return native.chLen(self._h)

        def __aiter__(self):
            h = self._h
            return _Iter(lambda: native.chNext(h))

        def __repr__(self):
            return '<braid Channel len=%d%s>' % (len(self), ' closed' if self.closed else '')

    @_export
    def channel(capacity=None):
        """A channel holding up to capacity values (None: unbounded)."""
        if capacity is None or capacity == float('inf'):
            return Channel(_KEY, native.chNew(-1))
        if capacity == 0 and not isinstance(capacity, bool):
            raise ValueError('braid.channel(capacity): capacity must be at least 1 (leave it out for an unbounded channel)')
        return Channel(_KEY, native.chNew(_integer('braid.channel(capacity)', capacity, 1, MAX_PERMITS)))

    class Oneshot:
        """One value, sent once."""
        __slots__ = ('_h', '_used')

        def __init__(self, key, h):
            _internal(key, 'Oneshot')
            self._h = h
            self._used = False

        def send(self, value):
            """Sends the one value: True if it was delivered, False if the oneshot was closed."""
            if self._used:
                raise RuntimeError('oneshot.send(value): a value was already sent')
            self._used = True
            return bool(native.osSend(self._h, value))

        def recv(self):
            """Awaitable: the value; raises ClosedError if the oneshot was closed without one."""
            return native.osRecv(self._h)

        def close(self):
            """Closes without a value (does nothing after a send)."""
            native.osClose(self._h)

        def __await__(self):
            return self.recv().__await__()

    @_export
    def oneshot():
        """A Oneshot: send(v) once, await recv() (or the oneshot itself)."""
        return Oneshot(_KEY, native.osNew())

    class Broadcast:
        """Every subscriber receives every value sent after it subscribed."""
        __slots__ = ('_h',)

        def __init__(self, key, h):
            _internal(key, 'Broadcast')
            self._h = h

        def send(self, value):
            """Sends to every subscribed receiver; returns how many there are (0: dropped)."""
            n = native.bcSend(self._h, value)
            if n < 0:
                raise ClosedError('broadcast.send(value): the broadcast channel is closed')
            return n

        def subscribe(self):
            """A receiver of every value sent from now on."""
            r = native.bcSubscribe(self._h)
            if r is None:
                raise ClosedError('broadcast.subscribe(): the broadcast channel is closed')
            return BroadcastReceiver(_KEY, r)

        def close(self):
            """Ends the stream: receivers drain what they have not read, then see the end."""
            native.bcClose(self._h)

        @property
        def receiver_count(self):
            return native.bcReceivers(self._h)

    class BroadcastReceiver:
        __slots__ = ('_r',)

        def __init__(self, key, r):
            _internal(key, 'BroadcastReceiver')
            self._r = r

        def recv(self):
            """Awaitable: the next value, None at the end; raises LaggedError after an overrun."""
            return native.bcRecv(self._r)

        def close(self):
            """Unsubscribes."""
            native.bcUnsubscribe(self._r)

        def __aiter__(self):
            r = self._r
            return _Iter(lambda: native.bcNext(r))

    @_export
    def broadcast(capacity):
        """A Broadcast channel that keeps the last capacity values for slow receivers."""
        return Broadcast(_KEY, native.bcNew(_integer('braid.broadcast(capacity)', capacity, 1, MAX_PERMITS)))

    class Watch:
        """The latest value, and a way to wait for changes."""
        __slots__ = ('_h',)

        def __init__(self, key, h):
            _internal(key, 'Watch')
            self._h = h

        def send(self, value):
            """Publishes a new value; returns whether any receiver is subscribed."""
            r = native.wSend(self._h, value)
            if r < 0:
                raise ClosedError('watch.send(value): the watch channel is closed')
            return r > 0

        def borrow(self):
            """The latest value."""
            return native.wBorrow(self._h)

        def subscribe(self):
            """A receiver that has seen the current value."""
            return WatchReceiver(_KEY, native.wSubscribe(self._h))

        def close(self):
            """Closes the sending side: changed() raises ClosedError once every change is seen."""
            native.wClose(self._h)

    class WatchReceiver:
        __slots__ = ('_r',)

        def __init__(self, key, r):
            _internal(key, 'WatchReceiver')
            self._r = r

        def changed(self):
            """Awaitable: done when a value newer than the last one seen is published (and
            marks it seen)."""
            return native.wChanged(self._r)

        def borrow(self):
            """The latest value (not marked seen)."""
            return native.wRxBorrow(self._r)

        def borrow_and_update(self):
            """The latest value, marked seen."""
            return native.wRxBorrowAndUpdate(self._r)

        def close(self):
            native.wRxClose(self._r)

    @_export
    def watch(initial=None):
        """A Watch holding initial."""
        return Watch(_KEY, native.wNew(initial))

    # ---- locks --------------------------------------------------------------------------

    class Permit:
        """Permits of a Semaphore; release() gives them back (a second call does nothing)."""
        __slots__ = ('_p',)

        def __init__(self, key, p):
            _internal(key, 'Permit')
            self._p = p

        def release(self):
            native.permitRelease(self._p)

        @property
        def permits(self):
            return native.permitCount(self._p)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.release()

    class Semaphore:
        """A fair semaphore: waiters are served in arrival order. async with takes one
        permit; acquire(n) gives a Permit to release()."""
        __slots__ = ('_h', '_held')

        def __init__(self, permits):
            self._h = native.semNew(_integer('braid.Semaphore(permits)', permits, 0, MAX_PERMITS))
            self._held = []

        def acquire(self, n=1):
            """Awaitable: a Permit for n permits."""
            return native.semAcquire(self._h, _integer('semaphore.acquire(n)', n, 1, MAX_PERMITS))

        @property
        def available(self):
            return native.semAvailable(self._h)

        async def __aenter__(self):
            self._held.append(await native.semAcquire(self._h, 1))  # one permit: any held one can be given back
            return self

        async def __aexit__(self, *exc):
            self._held.pop().release()

    class MutexGuard:
        """The lock of a Mutex, held: value is what it protects; release() unlocks."""
        __slots__ = ('_g',)

        def __init__(self, key, g):
            _internal(key, 'MutexGuard')
            self._g = g

        def _check(self, what):
            if not native.guardHeld(self._g):
                raise RuntimeError('mutex guard: %s after release()' % what)

        @property
        def value(self):
            self._check('value read')
            return native.guardGet(self._g)

        @value.setter
        def value(self, v):
            self._check('value written')
            native.guardSet(self._g, v)

        def release(self):
            native.guardUnlock(self._g)

    class Mutex:
        """A fair lock around an optional value: async with mutex as guard (guard.value), or
        guard = await mutex.acquire() ... guard.release()."""
        __slots__ = ('_h', '_guard')

        def __init__(self, value=None):
            self._h = native.mxNew(value)
            self._guard = None

        def acquire(self):
            """Awaitable: a MutexGuard once the lock is ours (in arrival order)."""
            return native.mxLock(self._h)

        @property
        def locked(self):
            return bool(native.mxLocked(self._h))

        async def __aenter__(self):
            g = await native.mxLock(self._h)
            self._guard = g
            return g

        async def __aexit__(self, *exc):
            g, self._guard = self._guard, None
            g.release()

    class _SetTask(bridge['TaskMembers']):
        """A task of a JoinSet: id, abort(), done(); its value comes from join_next()."""
        __slots__ = ('_m',)

        def __init__(self, m_):
            self._m = m_

    class JoinSet:
        """Tasks joined in the order they finish."""
        __slots__ = ('_h',)

        def __init__(self):
            self._h = native.setNew()

        def spawn(self, fn, *args):
            """Spawns fn(*args) as a task of this set; returns an object with id, abort() and done()."""
            _callable('join_set.spawn(fn, *args)', fn)
            return _SetTask(native.setSpawn(self._h, fn, list(args)))

        def join_next(self):
            """Awaitable: the next task's value in finishing order (raises its exception;
            CancelledError for an aborted one); None when the set is empty."""
            return native.setJoinNext(self._h)

        def abort_all(self):
            """Aborts every task; they stay in the set until joined."""
            native.setAbortAll(self._h)

        def shutdown(self):
            """Awaitable: aborts every task and waits until all of them have ended."""
            return native.setShutdown(self._h)

        def __len__(self):
            return native.setSize(self._h)

    class LaggedError(Exception):
        """A broadcast receiver fell behind: skipped values were overwritten before it read them."""

        def __init__(self, message, skipped=0):
            super().__init__(message)
            self.skipped = skipped

    for cls in (Interval, Channel, Oneshot, Broadcast, BroadcastReceiver, Watch, WatchReceiver, Permit, Semaphore,
                MutexGuard, Mutex, JoinSet, LaggedError):
        cls.__module__ = 'braid'
        setattr(m, cls.__name__, cls)
    ClosedError.__module__ = 'braid'
    m.ClosedError = ClosedError

    _host = []

    def __getattr__(name):
        # braid.CancelledError is asyncio's own class, made on first use (see bridge.py)
        if name == 'CancelledError':
            return bridge['cancelled_error_type']()
        # braid.fs, process, net, stdin and fetch are made on first use (see host.py)
        if name in ('fs', 'process', 'net', 'stdin', 'fetch'):
            if not _host:
                _host.append(system.host())
            value = _host[0][name]()
            setattr(m, name, value)
            return value
        raise AttributeError("module 'braid' has no attribute '%s'" % name)
    m.__getattr__ = __getattr__

    # ---- the job ------------------------------------------------------------------------

    m.args = []

    @_export
    def exit(code=0):
        """Ends the job with code: raises SystemExit, as sys.exit does (a job ends at once)."""
        raise SystemExit(code)

    class Progress:
        """A progress bar: tick(n=1), update(done), done(); value is the count so far."""
        __slots__ = ('_bar', '_value', '_ended')

        def __init__(self, key, bar):
            _internal(key, 'Progress')
            self._bar = bar
            self._value = 0
            self._ended = False

        def _set(self, n):
            if not self._ended:
                self._value = max(0, int(n))
                system.progress.update(self._bar, self._value)

        def tick(self, n=1):
            self._set(self._value + n)

        def update(self, done):
            self._set(done)

        def done(self):
            if not self._ended:
                self._ended = True
                system.progress.done(self._bar)

        @property
        def value(self):
            return self._value

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.done()

    Progress.__module__ = 'braid'
    m.Progress = Progress

    @_export
    def progress(total=0, label=''):
        """A Progress bar towards total, drawn where the host shows bars (the braid command's
        terminal) and nowhere otherwise."""
        if isinstance(total, bool) or not isinstance(total, (int, float)) or not total >= 0:
            raise ValueError('braid.progress(total, label=...): total must be a number >= 0, got %s' % _show(total))
        return Progress(_KEY, system.progress.open(str(label), int(total)))

    signal_hook = [None]  # (name, fn or None) -> bool: the job's signal handling, once bound

    def bind_job(argv, main_file, job_exit, on_signal):
        m.args = list(argv[1:])
        sys.modules['__main__'].__file__ = main_file
        signal_hook[0] = on_signal

        def exit(code=0):
            """Ends the job now with code (as JavaScript's braid.exit): finally blocks do not run."""
            sys.stdout.flush()
            sys.stderr.flush()
            job_exit(_integer('braid.exit(code)', code, 0, 255))
        exit.__module__ = 'braid'
        m.exit = exit

    # asyncio on Braid: its event loop policy is Braid's from the session's first import of it
    bridge['on_import']('asyncio', after=lambda asyncio: system.aio()(asyncio, m, system.now, bridge, system.aioIo, signal_hook, system.activity, _dumps))

    sys.modules['braid'] = m
    make = types.SimpleNamespace(
        iterResult=lambda done, value: (bool(done), value),
        closedError=lambda message: ClosedError(message),
        laggedError=lambda message, skipped: LaggedError(message, skipped),
        permit=lambda p: Permit(_KEY, p),
        guard=lambda g: MutexGuard(_KEY, g),
        selected=lambda key, value: (key, value),
        list=lambda values: list(values),
        bind_job=bind_job,
    )
    return make

_install
