# Braid: the host API of a Python session, braid.fs, braid.process, braid.net, braid.stdin
# and braid.fetch, in Python's shapes (snake_case, bytes, seconds, async iteration). Evaluated
# on first use of one of them, as an internal source; a function of `natives(name)`, which
# makes the language-neutral natives (SystemApi) of each, `tasks` (for timeouts) and
# `latin1(buffer)`, how a host buffer's bytes cross (see PyApi.latin1).
# Every path, host and command is checked against the session's permissions by the natives;
# a refusal raises PermissionError naming the grant.

def _host(natives, tasks, latin1):
    import json as _json
    import os
    import re
    import types

    def _path(what, p):
        try:
            return os.fsdecode(os.fspath(p))
        except TypeError:
            raise TypeError('%s: expected a path (str or os.PathLike), got %r' % (what, p)) from None

    def _data(what, data):
        if isinstance(data, str):
            return None
        if isinstance(data, (bytes, bytearray, memoryview)):
            return bytes(data)
        raise TypeError('%s: data must be str or bytes, got %s' % (what, type(data).__name__))

    def _record(name, fields):
        cls = type(name, (), {
            '__slots__': fields,
            '__init__': lambda self, *values: [setattr(self, f, v) for f, v in zip(fields, values)] and None,
            '__repr__': lambda self: '%s(%s)' % (name, ', '.join('%s=%r' % (f, getattr(self, f)) for f in fields)),
            '__eq__': lambda self, other: type(other) is type(self) and all(getattr(self, f) == getattr(other, f) for f in fields),
        })
        cls.__module__ = 'braid'
        return cls

    class _Lines:
        """An async iterator over lines that a native reads one by one (None at the end)."""
        __slots__ = ('_read',)

        def __init__(self, read):
            self._read = read

        def __aiter__(self):
            return self

        async def __anext__(self):
            line = await self._read()
            if line is None:
                raise StopAsyncIteration
            return str(line)

    def _bytes(buffer):
        return str(latin1(buffer)).encode('latin-1')

    async def _bytes_or_none(aw):
        b = await aw
        return None if b is None else _bytes(b)

    # ---- fs -----------------------------------------------------------------------------

    FileInfo = _record('FileInfo', ('size', 'is_file', 'is_dir', 'is_symlink', 'mtime'))
    DirEntry = _record('DirEntry', ('name', 'is_file', 'is_dir', 'is_symlink'))
    WalkEntry = _record('WalkEntry', ('path', 'name', 'is_file', 'is_dir', 'is_symlink'))

    def make_fs():
        n = natives('fs')
        fs = types.SimpleNamespace()

        def read_text(path):
            """Awaitable: the file's text (UTF-8)."""
            return n.readText(_path('fs.read_text(path)', path))

        def write_text(path, text):
            """Awaitable: writes text (UTF-8), replacing the file."""
            if not isinstance(text, str):
                raise TypeError('fs.write_text(path, text): text must be str, got %s' % type(text).__name__)
            return n.writeText(_path('fs.write_text(path, text)', path), text)

        async def read_bytes(path):
            """The file's bytes."""
            return _bytes(await n.readBytes(_path('fs.read_bytes(path)', path)))

        def write_bytes(path, data):
            """Awaitable: writes bytes, replacing the file."""
            b = _data('fs.write_bytes(path, data)', data)
            if b is None:
                raise TypeError('fs.write_bytes(path, data): data must be bytes, got str (use write_text)')
            return n.writeBytes(_path('fs.write_bytes(path, data)', path), b, 0, len(b))

        def append(path, data):
            """Awaitable: appends str (UTF-8) or bytes, creating the file if needed."""
            p = _path('fs.append(path, data)', path)
            b = _data('fs.append(path, data)', data)
            return n.appendText(p, data) if b is None else n.appendBytes(p, b, 0, len(b))

        async def stat(path):
            """A FileInfo: size, is_file, is_dir, is_symlink, mtime (seconds since the epoch)."""
            s = await n.stat(_path('fs.stat(path)', path))
            return FileInfo(s.size, bool(s.isFile), bool(s.isDirectory), bool(s.isSymlink),
                            None if s.mtime is None else s.mtime / 1000.0)

        async def read_dir(path):
            """Async iterator of DirEntry: name, is_file, is_dir, is_symlink."""
            for e in await n.readDir(_path('fs.read_dir(path)', path)):
                yield DirEntry(str(e.name), bool(e.isFile), bool(e.isDirectory), bool(e.isSymlink))

        def _patterns(what, ps):
            if ps is None:
                return None
            if isinstance(ps, (str, re.Pattern)):
                ps = [ps]
            return [re.compile(p) if isinstance(p, str) else p for p in ps]

        async def walk(root, *, match=None, skip=None, include_files=True, include_dirs=True, max_depth=None):
            """Async iterator of WalkEntry (path, name, is_file, is_dir, is_symlink) for the
            tree under root, parents before children. match and skip are regular expressions
            (or lists of them) searched in each path; max_depth limits how deep it goes."""
            m = _patterns('fs.walk', match)
            s = _patterns('fs.walk', skip)
            w = n.walkOpen(_path('fs.walk(root)', root), -1 if max_depth is None else int(max_depth))
            try:
                while True:
                    batch = await n.walkNext(w)
                    if len(batch) == 0:
                        return
                    for e in batch:
                        p = str(e.path)
                        is_dir = bool(e.isDirectory)
                        if (not include_files and not is_dir) or (not include_dirs and is_dir) \
                                or (m and not any(r.search(p) for r in m)) or (s and any(r.search(p) for r in s)):
                            continue
                        yield WalkEntry(p, str(e.name), bool(e.isFile), is_dir, bool(e.isSymlink))
            finally:
                n.walkClose(w)

        def mkdir(path, recursive=False):
            """Awaitable: makes the directory (and its parents with recursive=True)."""
            return n.mkdir(_path('fs.mkdir(path)', path), bool(recursive))

        def remove(path, recursive=False):
            """Awaitable: removes a file, a link or an empty directory (a whole tree with recursive=True)."""
            return n.remove(_path('fs.remove(path)', path), bool(recursive))

        def rename(src, dst):
            """Awaitable: renames (moves) src to dst."""
            return n.rename(_path('fs.rename(src, dst)', src), _path('fs.rename(src, dst)', dst))

        def copy(src, dst):
            """Awaitable: copies the file src to dst."""
            return n.copy(_path('fs.copy(src, dst)', src), _path('fs.copy(src, dst)', dst))

        def make_temp_dir(prefix='braid-'):
            """Awaitable: the path of a fresh directory the session may use without a grant,
            removed with the session."""
            return n.makeTempDir(str(prefix))

        for f in (read_text, write_text, read_bytes, write_bytes, append, stat, read_dir, walk, mkdir, remove, rename, copy,
                  make_temp_dir):
            setattr(fs, f.__name__, f)
        fs.FileInfo, fs.DirEntry, fs.WalkEntry = FileInfo, DirEntry, WalkEntry
        return fs

    # ---- process ------------------------------------------------------------------------

    Completed = _record('Completed', ('code', 'success', 'stdout', 'stderr'))
    ExitStatus = _record('ExitStatus', ('code', 'success', 'signal'))

    def make_process():
        n = natives('process')

        class Reader:
            """A child's stdout or stderr, read while the child runs."""
            __slots__ = ('_c', '_fd')

            def __init__(self, c, fd):
                self._c = c
                self._fd = fd

            def read_line(self):
                """Awaitable: the next line without its end, None at the end."""
                return n.readLine(self._c, self._fd)

            def read(self):
                """Awaitable: the bytes available (at least one), None at the end."""
                return _bytes_or_none(n.read(self._c, self._fd))

            def lines(self):
                c, fd = self._c, self._fd
                return _Lines(lambda: n.readLine(c, fd))

            def __aiter__(self):
                return self.lines()

        class Writer:
            """A child's stdin."""
            __slots__ = ('_c',)

            def __init__(self, c):
                self._c = c

            def write(self, data):
                """Awaitable: writes str (UTF-8) or bytes."""
                b = _data('stdin.write(data)', data)
                return n.write(self._c, data) if b is None else n.writeBytes(self._c, b, 0, len(b))

            def close(self):
                """Awaitable: closes it (the child sees the end of its input)."""
                return n.closeStdin(self._c)

        class Child:
            """A running program: pid, stdout, stderr (Reader or None), stdin (Writer or None),
            wait() and kill(). Killed if the session is cancelled."""
            __slots__ = ('_c', 'pid', 'stdout', 'stderr', 'stdin', '_status')

            def __init__(self, c, stdin, stdout, stderr):
                self._c = c
                self.pid = int(n.pid(c))
                self.stdout = Reader(c, 1) if stdout == 'piped' else None
                self.stderr = Reader(c, 2) if stderr == 'piped' else None
                self.stdin = Writer(c) if stdin == 'piped' else None
                self._status = None

            async def wait(self):
                """The ExitStatus (code, success, signal) once the child has ended."""
                if self._status is None:
                    s = await n.status(self._c)
                    self._status = ExitStatus(s.code, bool(s.success), None if s.signal is None else str(s.signal))
                return self._status

            def kill(self, signal='SIGTERM'):
                """Sends the signal (SIGTERM, SIGKILL, SIGINT...)."""
                return n.kill(self._c, str(signal))

            def __repr__(self):
                return '<braid Child pid=%d>' % self.pid

        def _args(what, args):
            if isinstance(args, (str, bytes)):
                raise TypeError('%s: args must be a list of strings, not one string' % what)
            return [str(a) for a in args]

        async def run(command, args=()):
            """Runs the program to its end: a Completed (code, success, stdout, stderr). Needs
            --allow-run=COMMAND; the child gets only the environment the session may read."""
            r = await n.run(str(command), _args('process.run(command, args)', args))
            return Completed(r.code, r.code == 0, str(r.stdout), str(r.stderr))

        def spawn(command, args=(), *, cwd=None, env=None, stdin='null', stdout='piped', stderr='piped'):
            """Starts the program and returns a Child at once; its output is read while it
            runs. stdin, stdout, stderr: 'piped', 'inherit' or 'null'."""
            if env is not None and not isinstance(env, dict):
                raise TypeError('process.spawn: env must be a dict of strings')
            c = n.spawn(str(command), _args('process.spawn(command, args)', args),
                        None if cwd is None else _path('process.spawn(cwd=...)', cwd), env, stdin, stdout, stderr)
            return Child(c, stdin, stdout, stderr)

        return types.SimpleNamespace(run=run, spawn=spawn, Child=Child, Completed=Completed, ExitStatus=ExitStatus)

    # ---- net ----------------------------------------------------------------------------

    def make_net():
        n = natives('net')

        class Connection:
            """A TCP connection: write(), read(), read_line(), lines(), close_write(), close()."""
            __slots__ = ('_c', 'remote_address')

            def __init__(self, c):
                self._c = c
                self.remote_address = str(n.remote(c))

            def write(self, data):
                """Awaitable: writes str (UTF-8) or bytes."""
                b = _data('connection.write(data)', data)
                return n.write(self._c, data) if b is None else n.writeBytes(self._c, b, 0, len(b))

            def read(self):
                """Awaitable: the bytes available (at least one), None at the end."""
                return _bytes_or_none(n.read(self._c))

            def read_line(self):
                """Awaitable: the next line without its end, None at the end."""
                return n.readLine(self._c)

            def lines(self):
                c = self._c
                return _Lines(lambda: n.readLine(c))

            def __aiter__(self):
                return self.lines()

            def close_write(self):
                """Awaitable: ends the sending direction (the peer sees the end); reading goes on."""
                return n.closeWrite(self._c)

            def close(self):
                n.close(self._c)

            async def __aenter__(self):
                return self

            async def __aexit__(self, *exc):
                self.close()

        async def connect(host, port):
            """A Connection to host:port (needs --allow-net=host:port)."""
            return Connection(await n.connect(str(host), port))

        class Listener:
            """Accepts connections: await accept() (None once closed), or async for."""
            __slots__ = ('_l', 'host', 'port')

            def __init__(self, l, host):
                self._l = l
                self.host = host
                self.port = int(n.port(l))

            async def accept(self):
                c = await n.accept(self._l)
                return None if c is None else Connection(c)

            def close(self):
                n.closeListener(self._l)

            def __aiter__(self):
                return self

            async def __anext__(self):
                c = await self.accept()
                if c is None:
                    raise StopAsyncIteration
                return c

        def listen(host='127.0.0.1', port=0):
            """A Listener bound at once to host:port (port 0: any free one; see .port)."""
            return Listener(n.listen(str(host), port), str(host))

        return types.SimpleNamespace(connect=connect, listen=listen, Connection=Connection, Listener=Listener)

    # ---- stdin --------------------------------------------------------------------------

    def make_stdin():
        n = natives('stdin')

        class Stdin:
            """The job's standard input, read without blocking a thread: read_line(), read(),
            lines(), async for."""
            __slots__ = ()

            def read_line(self):
                """Awaitable: the next line without its end, None at the end."""
                return n.readLine()

            def read(self):
                """Awaitable: the bytes available, None at the end."""
                return _bytes_or_none(n.read())

            def lines(self):
                return _Lines(lambda: n.readLine())

            def __aiter__(self):
                return self.lines()

        return Stdin()

    # ---- fetch --------------------------------------------------------------------------

    def make_fetch():
        n = natives('http')

        class Response:
            """An HTTP response: status, ok, url, redirected, headers (a dict with lower-case
            names), and its body once: await text(), json(), bytes(), or async for chunks."""
            __slots__ = ('_h', '_used', 'status', 'ok', 'url', 'redirected', 'headers')

            def __init__(self, h):
                self._h = h
                self._used = False
                self.status = int(n.status(h))
                self.ok = 200 <= self.status < 300
                self.url = str(n.url(h))
                self.redirected = bool(n.redirected(h))
                flat = [str(x) for x in n.headers(h)]
                headers = {}
                for k, v in zip(flat[0::2], flat[1::2]):
                    k = k.lower()
                    headers[k] = headers[k] + ', ' + v if k in headers else v
                self.headers = headers

            def _take(self, what):
                if self._used:
                    raise RuntimeError('Response.%s: the body has already been read' % what)
                self._used = True

            async def bytes(self):
                self._take('bytes()')
                return _bytes(await n.bodyAll(self._h))

            async def text(self):
                self._take('text()')
                return _bytes(await n.bodyAll(self._h)).decode('utf-8', 'replace')

            async def json(self):
                self._take('json()')
                return _json.loads(_bytes(await n.bodyAll(self._h)))

            def __aiter__(self):
                self._take('body')
                h = self._h

                class Chunks:
                    def __aiter__(self):
                        return self

                    async def __anext__(self):
                        b = await n.bodyRead(h)
                        if b is None:
                            raise StopAsyncIteration
                        return _bytes(b)
                return Chunks()

            def close(self):
                """Stops reading the body."""
                n.bodyCancel(self._h)

            def __repr__(self):
                return '<braid Response %d %s>' % (self.status, self.url)

        def fetch(url, *, method='GET', headers=None, body=None, redirect='follow', timeout=None):
            """Awaitable: the Response once its status and headers have arrived. Needs
            --allow-net for the host of the URL and of every redirect followed. body: str,
            bytes, or a dict/list sent as JSON; timeout: seconds for the whole request."""
            flat = []
            for k, v in (headers or {}).items():
                flat += [str(k), str(v)]
            if isinstance(body, (dict, list)):
                if not any(k.lower() == 'content-type' for k in flat[0::2]):
                    flat += ['content-type', 'application/json']
                body = _json.dumps(body)
            b = None if body is None else (body.encode('utf-8') if isinstance(body, str) else _data('fetch(body=...)', body))
            if redirect not in ('follow', 'manual', 'error'):
                raise ValueError("fetch(redirect=...): 'follow', 'manual' or 'error', got %r" % (redirect,))
            sent = n.fetch(str(url), str(method), flat, b, 0, 0 if b is None else len(b), redirect)

            async def respond():
                return Response(await sent)
            if timeout is None:
                return respond()
            return tasks.timeout(max(0.0, float(timeout)) * 1000.0, respond())

        fetch.Response = Response
        return fetch

    return {'fs': make_fs, 'process': make_process, 'net': make_net, 'stdin': make_stdin, 'fetch': make_fetch}

_host
