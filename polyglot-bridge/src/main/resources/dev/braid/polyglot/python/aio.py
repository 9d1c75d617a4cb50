# Braid: asyncio's event loop on Braid, installed as the event loop policy of a Python
# session when it first imports asyncio. Evaluated then as an internal source; a function of
# the asyncio package, the session's `braid` module and `now()` (the runtime's clock, in
# seconds).
#
# BraidEventLoop keeps CPython's own BaseEventLoop (its ready queue, timer heap, stop(),
# exception handler and async generator hooks) and replaces the iteration and the blocking
# wait: a Braid task on the session's strand runs the iterations in asyncio's order, lets
# Braid's other tasks run after each slice of callbacks, and sleeps on Braid's timer wheel
# until the next timer or a wake-up when nothing is ready. So asyncio.run blocks the calling
# thread (a script's main thread), never a worker, and every callback and task step runs on
# the strand. Time is the runtime's clock: a paused clock drives asyncio too.
#
# A Braid awaitable (braid.sleep, a task's handle, a channel's recv) awaited in an asyncio
# task is awaited by a Braid task that settles an asyncio future in its place.
#
# run_in_executor without an executor (and asyncio.to_thread) runs on Braid's blocking pool.
#
# Sockets, TLS, servers, name resolution and subprocesses are Braid's (aio_io.py,
# aio_proc.py), under the session's permissions; the loop has no file-descriptor I/O
# (add_reader and the like).

def _aio(asyncio, braid, now, bridge, make_io, signal_hook, activity, dumps):
    import heapq
    import signal
    import sys
    import weakref
    from asyncio.log import logger
    from time import perf_counter
    from asyncio import base_events, coroutines, events, futures, tasks

    signal_names = {int(signal.SIGINT): 'SIGINT', int(signal.SIGTERM): 'SIGTERM'}

    io = []

    def _io(name):
        # aio_io.py and aio_proc.py, evaluated on the first socket, server or subprocess
        if not io:
            io.append(make_io())
        return io[0][name]

    def as_asyncio_future(loop, braid_awaitable, abort=None):
        # A Braid task awaits it and settles an asyncio future in its place (both run on the
        # strand); cancelling that future aborts the Braid task (and `abort`, if given).
        fut = loop.create_future()

        async def settle():
            # outside the loop's iterations: whatever it settles, the driver looks again
            try:
                value = await braid_awaitable
            except asyncio.CancelledError:
                if not loop.is_closed():
                    fut.cancel()
                    loop._write_to_self()
                return
            except BaseException as e:
                if not fut.done() and not loop.is_closed():
                    # as asyncio.wrap_future: concurrent.futures' CancelledError and
                    # InvalidStateError become asyncio's
                    fut.set_exception(futures._convert_future_exc(e))
            else:
                if not fut.done() and not loop.is_closed():
                    fut.set_result(value)
            loop._write_to_self()
        handle = braid.spawn(settle)

        def cancelled(f):
            if f.cancelled():
                handle.abort()
                if abort is not None:
                    abort()
        fut.add_done_callback(cancelled)
        return fut

    def adopt(braid_future):
        # A Braid awaitable awaited inside a task of Braid's loop: an asyncio future stands in.
        loop = events._get_running_loop()
        if type(loop) is not BraidEventLoop or tasks.current_task(loop) is None:
            return None
        return as_asyncio_future(loop, braid_future)

    bridge['in_asyncio_task'][0] = adopt

    def wait_for(fut):
        # A Braid awaitable that completes once the asyncio future is done
        done = braid.oneshot()
        fut.add_done_callback(lambda f: done.send(None))
        return done.recv()

    def step_in_loop(it, value, exc, plain):
        # A Braid task's coroutine (braid.spawn, a coroutine handed to another language) steps
        # with the session's running Braid loop as asyncio's running loop, and may await the
        # loop's futures and tasks.
        loop = next(iter(running), None)
        if loop is None or events._get_running_loop() is not None:
            return plain(it, value, exc)
        before = (len(loop._ready), len(loop._scheduled))
        events._set_running_loop(loop)
        try:
            r = plain(it, value, exc)
        finally:
            events._set_running_loop(None)
            if (len(loop._ready), len(loop._scheduled)) != before:
                loop._write_to_self()  # it scheduled a callback or a timer: the driver looks again
        if not r[0] and getattr(r[1], '_asyncio_future_blocking', False):
            r[1]._asyncio_future_blocking = False
            return (False, wait_for(r[1]), None)
        return r

    # ---- asyncio tasks as the outside sees them ----------------------------------------

    def coroutine_name(coro):
        code = getattr(coro, 'cr_code', None) or getattr(coro, 'gi_code', None)
        if code is not None:
            return getattr(code, 'co_qualname', code.co_name)
        return type(coro).__name__

    def label(task):
        # 'asyncio task 'Task-3' (main)', once per task
        try:
            return task._braid_label
        except AttributeError:
            text = 'asyncio task %r (%s)' % (task.get_name(), coroutine_name(task.get_coro()))
            try:
                task._braid_label = text
            except AttributeError:
                pass
            return text

    enter_task = tasks._enter_task

    def _enter_task(loop, task):
        # A stall report names the asyncio task that Braid's loop steps. Told on entering a
        # step only (one host call a step); the report names it only while its stack shows
        # a task's step, so a label left from an earlier step is never shown.
        enter_task(loop, task)
        if type(loop) is BraidEventLoop:
            activity(label(task))
    tasks._enter_task = _enter_task

    running = weakref.WeakSet()

    def waits_on(task):
        w = getattr(task, '_fut_waiter', None)
        if w is None:
            what = None
        elif isinstance(w, tasks.Task):
            what = label(w)
        else:
            what = type(w).__name__ + (' (cancelled)' if w.cancelled() else '')
        stack = task.get_stack(limit=1)
        if stack:
            code = stack[-1].f_code
            where = '%s:%d' % (code.co_filename, stack[-1].f_lineno)
            what = '%s at %s' % (what, where) if what else where
        return what

    def dump():
        # braid.task_dump() lists the asyncio tasks of the session's running Braid loops
        out = []
        for loop in list(running):
            current = tasks.current_task(loop)
            for t in tasks.all_tasks(loop):
                coro = t.get_coro()
                out.append({'id': None, 'name': t.get_name(), 'executor': 'asyncio loop',
                            'state': 'running' if t is current else ('idle' if getattr(t, '_fut_waiter', None) is not None
                                                                     else 'scheduled'),
                            'spawn_site': None, 'age_ms': None, 'polls': None, 'waits_on': waits_on(t), 'thread': None,
                            'coroutine': coroutine_name(coro)})
        return out
    dumps.append(dump)

    SLICE = 0.02  # seconds of callbacks before the driver lets Braid's other tasks run

    class _NoSelector:
        """What BaseEventLoop polls for I/O: nothing yet; the wait is the driver's."""

        def select(self, timeout):
            return []

        def close(self):
            pass

    class BraidEventLoop(base_events.BaseEventLoop):
        """An asyncio event loop whose callbacks and tasks run on the session's strand."""

        _running = False  # read by BaseEventLoop's own constructor already

        def __init__(self):
            super().__init__()
            self._selector = _NoSelector()
            self._wakeup = braid.channel()
            self._signal_handlers = {}

        def is_running(self):
            # BaseEventLoop tells by the thread running it; this loop has no one such thread
            return self._running

        def time(self):
            return now()

        def _process_events(self, event_list):
            pass

        def _write_to_self(self):
            # call_soon_threadsafe, stop from elsewhere: the driver waits no longer
            if not self._wakeup.closed and len(self._wakeup) == 0:
                self._wakeup.send(None)

        def run_forever(self):
            self._check_closed()
            self._check_running()
            self._set_coroutine_origin_tracking(self._debug)
            self._thread_id = None  # no one thread: the strand's slices move between workers
            self._running = True
            running.add(self)
            bridge['around_step'][0] = step_in_loop
            try:
                braid.run(self._drive())
            finally:
                running.discard(self)
                if not running:
                    bridge['around_step'][0] = None
                self._running = False
                self._stopping = False
                self._set_coroutine_origin_tracking(False)

        def _enter(self):
            # asyncio keeps the running loop and the async generator hooks per thread, and a
            # strand's slices may run on any worker: set around each stretch of callbacks
            hooks = sys.get_asyncgen_hooks()
            sys.set_asyncgen_hooks(firstiter=self._asyncgen_firstiter_hook, finalizer=self._asyncgen_finalizer_hook)
            events._set_running_loop(self)
            return hooks

        def _leave(self, hooks):
            events._set_running_loop(None)
            sys.set_asyncgen_hooks(*hooks)

        def _due(self):
            # The timers due join the ready queue (cancelled ones leave the heap: those at its
            # head, or all of them once they are the majority).
            scheduled = self._scheduled
            if len(scheduled) > 100 and self._timer_cancelled_count * 2 > len(scheduled):
                live = []
                for h in scheduled:
                    if h._cancelled:
                        h._scheduled = False
                    else:
                        live.append(h)
                heapq.heapify(live)
                self._scheduled = scheduled = live
                self._timer_cancelled_count = 0
            else:
                while scheduled and scheduled[0]._cancelled:
                    self._timer_cancelled_count -= 1
                    heapq.heappop(scheduled)._scheduled = False
            due = self.time() + self._clock_resolution
            while scheduled and scheduled[0]._when < due:
                h = heapq.heappop(scheduled)
                h._scheduled = False
                self._ready.append(h)

        async def _drive(self):
            # The loop's iterations as asyncio's loops define them: the timers due join the
            # ready queue, then the callbacks ready at the iteration's start run, in order.
            # The driver lets Braid's other tasks on the strand run (yield_now) once SLICE
            # seconds of callbacks have run, inside an iteration or between two, and waits on
            # Braid's timer wheel or a wake-up when nothing is ready.
            ready = self._ready
            hooks = self._enter()
            try:
                started = perf_counter()
                while True:
                    self._due()
                    for i in range(len(ready)):
                        h = ready.popleft()
                        if h._cancelled:
                            continue
                        if self._debug:
                            t0 = self.time()
                            h._run()
                            took = self.time() - t0
                            if took >= self.slow_callback_duration:
                                logger.warning('Executing %s took %.3f seconds', base_events._format_handle(h), took)
                        else:
                            h._run()
                        if i & 31 == 31 and perf_counter() - started > SLICE:
                            self._leave(hooks)
                            hooks = None
                            await braid.yield_now()
                            hooks = self._enter()
                            started = perf_counter()
                    h = None
                    if self._stopping:
                        return
                    if ready:
                        if perf_counter() - started > SLICE:
                            self._leave(hooks)
                            hooks = None
                            await braid.yield_now()
                            hooks = self._enter()
                            started = perf_counter()
                        continue
                    self._leave(hooks)
                    hooks = None
                    while len(self._wakeup):
                        await self._wakeup.recv()
                    if self._scheduled:
                        delay = max(0.0, self._scheduled[0]._when - self.time())
                        await braid.select(braid.sleep(delay), self._wakeup.recv())
                    else:
                        await self._wakeup.recv()
                    hooks = self._enter()
                    started = perf_counter()
            finally:
                if hooks is not None:
                    self._leave(hooks)

        def run_in_executor(self, executor, func, *args):
            # The default executor is Braid's blocking pool (asyncio.to_thread goes here too):
            # the context may not start threads of its own.
            if executor is not None:
                return super().run_in_executor(executor, func, *args)
            self._check_closed()
            work = braid.spawn_blocking(func, *args)
            return as_asyncio_future(self, work, work.abort)

        def _braid(self, braid_awaitable):
            return as_asyncio_future(self, braid_awaitable)

        # I/O on Braid's reactor (aio_io.py, aio_proc.py), under the session's permissions

        async def create_connection(self, protocol_factory, host=None, port=None, **kwargs):
            return await _io('create_connection')(self, protocol_factory, host, port, **kwargs)

        async def create_server(self, protocol_factory, host=None, port=None, **kwargs):
            return await _io('create_server')(self, protocol_factory, host, port, **kwargs)

        def _start_serving(self, protocol_factory, sock, sslcontext=None, server=None, backlog=100,
                           ssl_handshake_timeout=None, ssl_shutdown_timeout=None):
            _io('start_serving')(self, protocol_factory, sock, server)

        def _stop_serving(self, sock):
            _io('stop_serving')(self, sock)

        async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
            return await _io('getaddrinfo')(self, host, port, family, type, proto, flags)

        async def create_datagram_endpoint(self, protocol_factory, local_addr=None, remote_addr=None, **kwargs):
            return await _io('create_datagram_endpoint')(self, protocol_factory, local_addr, remote_addr, **kwargs)

        async def _make_subprocess_transport(self, protocol, args, shell, stdin, stdout, stderr, bufsize,
                                             extra=None, **kwargs):
            return await _io('make_subprocess_transport')(self, protocol, args, shell, stdin, stdout, stderr,
                                                          bufsize, extra, **kwargs)

        def _no_descriptors(self, what):
            raise NotImplementedError("%s: Braid's event loop has no file-descriptor I/O (its sockets, servers and "
                                      "subprocesses run on Braid's reactor); use open_connection, start_server, "
                                      "create_connection or create_subprocess_exec" % what)

        # Python's own sockets: readiness waits on Braid's blocking pool (aio_io.py)

        async def sock_recv(self, sock, n):
            return await _io('sock_recv')(self, sock, n)

        async def sock_recv_into(self, sock, buf):
            return await _io('sock_recv_into')(self, sock, buf)

        async def sock_recvfrom(self, sock, bufsize):
            return await _io('sock_recvfrom')(self, sock, bufsize)

        async def sock_recvfrom_into(self, sock, buf, nbytes=0):
            return await _io('sock_recvfrom_into')(self, sock, buf, nbytes)

        async def sock_sendall(self, sock, data):
            return await _io('sock_sendall')(self, sock, data)

        async def sock_sendto(self, sock, data, address):
            return await _io('sock_sendto')(self, sock, data, address)

        async def sock_connect(self, sock, address):
            return await _io('sock_connect')(self, sock, address)

        async def sock_accept(self, sock):
            return await _io('sock_accept')(self, sock)

        def add_reader(self, fd, callback, *args):
            self._no_descriptors('add_reader')

        def add_writer(self, fd, callback, *args):
            self._no_descriptors('add_writer')

        def remove_reader(self, fd):
            return False

        def remove_writer(self, fd):
            return False

        async def connect_read_pipe(self, protocol_factory, pipe):
            self._no_descriptors('connect_read_pipe')

        async def connect_write_pipe(self, protocol_factory, pipe):
            self._no_descriptors('connect_write_pipe')

        async def create_unix_connection(self, *args, **kwargs):
            self._no_descriptors('create_unix_connection')

        async def create_unix_server(self, *args, **kwargs):
            self._no_descriptors('create_unix_server')

        # Signals: SIGINT and SIGTERM, through the braid command's signal handling

        def add_signal_handler(self, sig, callback, *args):
            if coroutines.iscoroutine(callback) or coroutines.iscoroutinefunction(callback):
                raise TypeError('coroutines cannot be used with add_signal_handler()')
            self._check_closed()
            if not isinstance(sig, int):
                raise TypeError('sig must be an int, not %r' % (sig,))
            name = signal_names.get(int(sig))
            if name is None:
                raise ValueError("Braid's event loop handles SIGINT and SIGTERM, not signal %d" % int(sig))
            if signal_hook[0] is None:
                raise RuntimeError('add_signal_handler: signals reach a script run by the braid command; this '
                                   'session has no job to take them from')
            self._signal_handlers[int(sig)] = events.Handle(callback, args, self, None)
            loop = self

            def deliver(_name):  # a task on the strand
                handle = loop._signal_handlers.get(int(sig))
                if handle is None or loop.is_closed():
                    return
                if handle._cancelled:
                    loop.remove_signal_handler(sig)
                else:
                    loop._add_callback(handle)
                    loop._write_to_self()
            signal_hook[0](name, deliver)

        def remove_signal_handler(self, sig):
            if self._signal_handlers.pop(int(sig), None) is None:
                return False
            signal_hook[0](signal_names[int(sig)], None)  # the braid command's own handling again
            return True

        def close(self):
            if self.is_running():
                raise RuntimeError('Cannot close a running event loop')
            if not self.is_closed():
                for sig in list(self._signal_handlers):
                    self.remove_signal_handler(sig)
                super().close()
                self._wakeup.close()

    # GraalPy 25.0.3 calls __aexit__ even when __aenter__ raised: a task cancelled while it
    # waited to enter `async with lock` would release what it never acquired (a Lock raises
    # RuntimeError in place of the CancelledError; a Semaphore gains a permit). asyncio's
    # locks release only what the same task's __aenter__ took.
    from asyncio import locks

    async def __aenter__(self):
        await self.acquire()
        entered = self.__dict__.setdefault('_braid_entered', {})
        task = tasks.current_task()
        entered[task] = entered.get(task, 0) + 1
        return None

    async def __aexit__(self, exc_type, exc, tb):
        entered = self.__dict__.get('_braid_entered')
        task = tasks.current_task()
        n = entered.get(task, 0) if entered else 0
        if n == 0:
            return None  # its __aenter__ failed: nothing to release
        if n == 1:
            del entered[task]
        else:
            entered[task] = n - 1
        self.release()
        return None
    locks._ContextManagerMixin.__aenter__ = __aenter__
    locks._ContextManagerMixin.__aexit__ = __aexit__

    # GraalPy 25.0.3's coroutine objects have no __name__ or __qualname__, so asyncio would
    # show every task's coroutine as "<coroutine without __name__>()": it shows the name of
    # the coroutine's code instead (no qualified name: GraalPy's code objects have none).
    _format_coroutine = coroutines._format_coroutine

    def format_coroutine(coro):
        text = _format_coroutine(coro)
        nameless = '<%s without __name__>()' % type(coro).__name__
        code = getattr(coro, 'cr_code', None)
        if code is not None and text.startswith(nameless):
            text = code.co_name + '()' + text[len(nameless):]
        return text
    coroutines._format_coroutine = format_coroutine

    # GraalPy never calls __del__ (see PyCallbacks), so Future.__del__ would never report an
    # exception nobody retrieved ("Task exception was never retrieved"). Weak reference
    # callbacks do run: a future that takes an exception takes a finalizer too, which reports
    # it as __del__ would, through the loop, unless it was retrieved by then (retrieving it
    # detaches the finalizer). The context's 'future' is a stand-in that shows the collected
    # future as it was when it failed.
    #
    # What the finalizer holds must not lead back to the future, or it would never be
    # collected: the frames of asyncio's own Task step (whose `self` is the task) leave the
    # traceback, as CPython's C tasks have no such frames; and the finalizer holds a copy of
    # the exception, since a GraalPy exception keeps the frame that caught it alive whatever
    # its traceback.

    class _Unretrieved:
        __slots__ = ('finalizer',)

    class _Collected:
        """A future or task collected with an exception nobody retrieved, as it was then."""
        __slots__ = ('_repr',)

        def __init__(self, text):
            self._repr = text

        def __repr__(self):
            return self._repr

    _step_codes = tuple(getattr(tasks.Task, '_Task__' + name).__code__
                        for name in ('step', 'step_run_and_handle_result') if hasattr(tasks.Task, '_Task__' + name))

    def _report_unretrieved(loop, kind, shown, exc, source_traceback):
        context = {'message': '%s exception was never retrieved' % kind, 'exception': exc,
                   'future': _Collected(shown)}
        if source_traceback:
            context['source_traceback'] = source_traceback
        try:
            if not loop.is_closed():
                loop.call_soon_threadsafe(loop.call_exception_handler, context)
                return
        except RuntimeError:  # closed meanwhile
            pass
        loop.call_exception_handler(context)

    def _get_log_traceback(self):
        state = self.__dict__.get('_braid_unretrieved')
        return state is not None and state.finalizer.alive

    def _set_log_traceback(self, value):
        state = self.__dict__.get('_braid_unretrieved')
        if not value:
            if state is not None:
                state.finalizer.detach()
            return
        if state is not None:
            return
        exc = self._exception
        tb = self._exception_tb
        while tb is not None and tb.tb_frame.f_code in _step_codes:
            tb = tb.tb_next
        self._exception_tb = tb
        if exc is not None:
            exc.__traceback__ = tb
        state = self.__dict__['_braid_unretrieved'] = _Unretrieved()
        state.finalizer = weakref.finalize(self, _report_unretrieved, self._loop, type(self).__name__, repr(self),
                                           _detached(exc, tb), self._source_traceback)

    def _detached(exc, tb):
        if exc is None:
            return None
        import copy
        try:
            clone = copy.copy(exc)
        except Exception:
            return exc  # it keeps the future alive: no report, as on GraalPy without Braid
        clone.__traceback__ = tb
        clone.__cause__ = exc.__cause__
        clone.__context__ = exc.__context__
        clone.__suppress_context__ = exc.__suppress_context__
        return clone

    futures.Future._Future__log_traceback = property(_get_log_traceback, _set_log_traceback)

    class BraidEventLoopPolicy(events.BaseDefaultEventLoopPolicy):
        _loop_factory = BraidEventLoop

    BraidEventLoop.__module__ = BraidEventLoopPolicy.__module__ = 'braid'
    BraidEventLoop.__qualname__, BraidEventLoopPolicy.__qualname__ = 'BraidEventLoop', 'BraidEventLoopPolicy'
    braid.BraidEventLoop = BraidEventLoop
    braid.BraidEventLoopPolicy = BraidEventLoopPolicy
    # Braid's loop is the default: asyncio.set_event_loop_policy(None) comes back to it
    asyncio.DefaultEventLoopPolicy = BraidEventLoopPolicy
    asyncio.set_event_loop_policy(BraidEventLoopPolicy())

_aio
