# Braid: asyncio's subprocesses on Braid's child processes, for BraidEventLoop (aio.py):
# create_subprocess_exec and create_subprocess_shell. Evaluated with aio_io.py, as an internal
# source; a function of `natives(name)` (the language-neutral natives of braid.process, which
# check every program against the session's permissions) and of `io`, what aio_io.py returns
# (its '_shared' helpers: the reader and writer tasks). Returns `io` with
# make_subprocess_transport added.
#
# A child's pipes are a reader task per output stream and a writer task for its input, on
# the session's strand; the protocol's callbacks run as the loop's own callbacks.

def _aio_proc(natives, io):
    import asyncio
    import errno
    import os
    import signal as _signal
    import subprocess
    from asyncio import transports

    import braid

    proc = natives('process')
    _later, _oserror, _Reader, _Writer, _made = io['_shared']

    class _ReadPipe(transports.ReadTransport):
        """A child's stdout or stderr (or both, with stderr=STDOUT): data goes to the
        subprocess protocol as pipe_data_received(fd, data)."""

        def __init__(self, owner, fd, sources):
            super().__init__()
            self._owner = owner
            self._fd = fd
            self._open = len(sources)
            self._closing = False
            self.disconnected = False
            loop = owner._loop
            self._readers = [_Reader(loop, (lambda s=s: proc.read(owner._c, s)), self._data, self._eof, self._error)
                             for s in sources]

        def _data(self, data):
            if not self._closing:
                self._owner._protocol.pipe_data_received(self._fd, data)

        def _eof(self):
            self._open -= 1
            if self._open == 0:
                self._lost(None)

        def _error(self, exc):
            self._lost(exc)

        def _lost(self, exc):
            if self.disconnected:
                return
            self.disconnected = True
            self._closing = True
            for r in self._readers:
                r.stop()
            self._owner._pipe_lost(self._fd, exc)

        def pause_reading(self):
            for r in self._readers:
                r.pause()

        def resume_reading(self):
            for r in self._readers:
                r.resume()

        def is_reading(self):
            return not self._closing and not self._readers[0]._paused

        def is_closing(self):
            return self._closing

        def close(self):
            if not self._closing:
                self._closing = True
                self._owner._loop.call_soon(self._lost, None)

        def get_protocol(self):
            return self._owner._protocol

        def set_protocol(self, protocol):
            raise NotImplementedError("a child's pipe belongs to its subprocess protocol")

    class _WritePipe(transports._FlowControlMixin, transports.WriteTransport):
        """A child's stdin."""

        def __init__(self, owner):
            super().__init__(None, owner._loop)
            self._owner = owner
            self._protocol = owner._protocol
            self._closing = False
            self.disconnected = False
            c = owner._c
            self._writer = _Writer(owner._loop, lambda data: proc.writeBytes(c, data, 0, len(data)),
                                   lambda: proc.closeStdin(c), self._wrote, self._error)

        def write(self, data):
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError('data argument must be a bytes-like object, not %r' % type(data).__name__)
            if self._closing:
                raise RuntimeError('Cannot call write() after write_eof()' if self._writer._ending else
                                   "the child's stdin is closed")
            if data:
                self._writer.push(data)
                self._maybe_pause_protocol()

        def _wrote(self):
            self._maybe_resume_protocol()
            if self._closing and self._writer.size() == 0:
                self._lost(None)

        def _error(self, exc):
            if isinstance(exc, OSError) and not isinstance(exc, PermissionError):
                exc = BrokenPipeError(errno.EPIPE, 'Broken pipe')
            self._writer.discard()
            self._lost(exc)

        def _lost(self, exc):
            if self.disconnected:
                return
            self.disconnected = True
            self._closing = True
            self._owner._pipe_lost(0, exc)

        def _peer_gone(self):
            # the child ended: what is still queued can no longer be delivered
            if self.disconnected:
                return
            pending = self._writer.size()
            self._writer.discard()
            self._lost(BrokenPipeError(errno.EPIPE, 'Broken pipe') if pending else None)

        def can_write_eof(self):
            return True

        def write_eof(self):
            self.close()

        def close(self):
            if self._closing:
                return
            self._closing = True
            self._writer.end()

        def abort(self):
            self._writer.discard()
            self._lost(None)

        def is_closing(self):
            return self._closing

        def get_write_buffer_size(self):
            return self._writer.size()

        def get_protocol(self):
            return self._owner._protocol

        def set_protocol(self, protocol):
            raise NotImplementedError("a child's pipe belongs to its subprocess protocol")

    _SIGNALS = {int(_signal.SIGTERM): 'SIGTERM', int(_signal.SIGKILL): 'SIGKILL'}
    _NUMBERS = {'SIGTERM': int(_signal.SIGTERM), 'SIGKILL': int(_signal.SIGKILL), 'SIGINT': int(_signal.SIGINT),
                'SIGHUP': int(_signal.SIGHUP)}

    class _SubprocessTransport(transports.SubprocessTransport):
        """A child process started by Braid (braid.process's natives)."""

        def __init__(self, loop, protocol, c, args):
            super().__init__()
            self._loop = loop
            self._protocol = protocol
            self._c = c
            self._args = args
            self._pid = int(proc.pid(c))
            self._returncode = None
            self._exit_waiters = []
            self._pipes = {}
            self._closed = False
            self._finished = False
            self._watch = None

        def __repr__(self):
            state = 'returncode=%s' % self._returncode if self._returncode is not None else 'running'
            return '<braid subprocess transport pid=%d %s>' % (self._pid, state)

        def _start(self, waiter):
            self._watch = braid.spawn(self._watch_exit)
            if not waiter.cancelled():
                waiter.set_result(None)

        async def _watch_exit(self):
            try:
                status = await proc.status(self._c)
            except asyncio.CancelledError:
                return
            code = status.code
            sig = status.signal
            if sig is not None:
                name = str(sig)
                returncode = -_NUMBERS[name] if name in _NUMBERS else -int(name.split()[-1])
            else:
                returncode = int(code)
            _later(self._loop, self._exited, returncode)

        def _exited(self, returncode):
            self._returncode = returncode
            self._loop.call_soon(self._protocol.process_exited)
            stdin = self._pipes.get(0)
            if stdin is not None:
                stdin._peer_gone()
            self._try_finish()

        def _pipe_lost(self, fd, exc):
            self._loop.call_soon(self._protocol.pipe_connection_lost, fd, exc)
            self._try_finish()

        def _try_finish(self):
            if self._finished or self._returncode is None:
                return
            if all(p.disconnected for p in self._pipes.values()):
                self._finished = True
                self._loop.call_soon(self._connection_lost)

        def _connection_lost(self):
            try:
                self._protocol.connection_lost(None)
            finally:
                for w in self._exit_waiters:
                    if not w.cancelled():
                        w.set_result(self._returncode)
                self._exit_waiters = None

        async def _wait(self):
            if self._returncode is not None and self._exit_waiters is None:
                return self._returncode
            w = self._loop.create_future()
            self._exit_waiters.append(w)
            return await w

        def get_pid(self):
            return self._pid

        def get_returncode(self):
            return self._returncode

        def get_pipe_transport(self, fd):
            return self._pipes.get(fd)

        def _check_proc(self):
            if self._closed:
                raise ProcessLookupError()

        def send_signal(self, signal):
            self._check_proc()
            if self._returncode is not None:
                return
            name = _SIGNALS.get(int(signal))
            if name is None:
                raise ValueError("Braid's event loop sends a child SIGTERM or SIGKILL only, not signal %d" % int(signal))
            proc.kill(self._c, name)

        def terminate(self):
            self.send_signal(_signal.SIGTERM)

        def kill(self):
            self.send_signal(_signal.SIGKILL)

        def is_closing(self):
            return self._closed

        def close(self):
            if self._closed:
                return
            self._closed = True
            for p in self._pipes.values():
                if not p.is_closing():
                    p.close()
            if self._returncode is None:
                proc.kill(self._c, 'SIGKILL')

    def _stdio(what, value, allow_stdout=False):
        if value == subprocess.PIPE:
            return 'piped'
        if value == subprocess.DEVNULL:
            return 'null'
        if value is None:
            return 'inherit'
        if allow_stdout and value == subprocess.STDOUT:
            return 'stdout'
        raise ValueError("%s=%r: Braid's event loop takes PIPE, DEVNULL%s or None (inherit) here; file objects and "
                         "descriptors are not supported" % (what, value, ', STDOUT' if allow_stdout else ''))

    async def make_subprocess_transport(loop, protocol, args, shell, stdin, stdout, stderr, bufsize, extra=None,
                                        cwd=None, env=None, close_fds=True, **kwargs):
        # close_fds: a child started by Braid inherits no descriptors beyond its three
        # streams, whatever it says
        unsupported = sorted(k for k, v in kwargs.items() if v not in (None, False, (), 0, -1))
        if unsupported:
            raise ValueError("Braid's event loop does not support %s for a subprocess" % ', '.join(unsupported))
        if shell:
            program, argv = 'sh', ['-c', os.fsdecode(args)]
        else:
            program, argv = os.fsdecode(os.fspath(args[0])), [os.fsdecode(os.fspath(a)) for a in args[1:]]
        modes = (_stdio('stdin', stdin), _stdio('stdout', stdout), _stdio('stderr', stderr, True))
        merged = modes[2] == 'stdout'
        if merged and modes[1] != 'piped':
            raise ValueError("stderr=STDOUT needs stdout=PIPE on Braid's event loop")
        if env is not None:
            env = {os.fsdecode(k): os.fsdecode(v) for k, v in env.items()}
        try:
            c = proc.spawn(program, argv, None if cwd is None else os.fsdecode(os.fspath(cwd)), env,
                           modes[0], modes[1], 'piped' if merged else modes[2])
        except PermissionError:
            raise
        except Exception as e:
            text = str(e)
            if 'is not on' in text:
                raise FileNotFoundError(errno.ENOENT, text, program) from None
            raise _oserror(e) from None
        transport = _SubprocessTransport(loop, protocol, c, [program] + argv)
        if modes[0] == 'piped':
            transport._pipes[0] = _WritePipe(transport)
        if modes[1] == 'piped':
            transport._pipes[1] = _ReadPipe(transport, 1, [1, 2] if merged else [1])
        if modes[2] == 'piped':
            transport._pipes[2] = _ReadPipe(transport, 2, [2])
        return await _made(loop, protocol, transport)

    return dict(io, make_subprocess_transport=make_subprocess_transport)

_aio_proc
