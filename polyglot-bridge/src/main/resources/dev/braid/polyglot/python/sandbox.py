# Braid: Python's own ways out of the session, held to the session's permissions. Evaluated
# once per session as an internal source, a function of `native` (the Java side) and of
# bridge.py's `on_import`.
#
# - Files: open, os and pathlib go through the session's file system, which checks every
#   path against the grants (as braid.fs does); GraalPy's PermissionError loses the reason,
#   so the functions scripts call put it back (which path, which flag grants it).
# - Modules: the script's own directory and --python-path directories are importable without
#   a read grant, through a finder that reads only module files there (the files themselves
#   stay unreadable to open()); tracebacks show their lines, read the same way.
# - Programs: os.system, os.popen, subprocess and the os exec/spawn functions raise
#   PermissionError (programs start through braid.process, under --allow-run).
# - Network: Python's sockets need unscoped network access (--allow-net); scoped grants
#   apply to braid.net and braid.fetch. The module imports; making a socket raises.
# - Native code: import ctypes raises PermissionError.
# - Threads: starting one raises RuntimeError (the context starts none), as does os.openpty
#   OSError, where GraalPy would end the job with an error Python cannot catch.
# - Environment: os.environ holds the granted variables; os.environ['X'] of another raises
#   PermissionError naming --allow-env=X (or asks, where the host asks), while .get() and
#   os.getenv() see it as unset (the standard library probes many variables it can do
#   without). Changes stay in the session. ssl's trust-root variables (SSL_CERT_FILE,
#   SSL_CERT_DIR) read as unset unless granted, so create_default_context works.
# - Host names: encodings.idna is Braid's, for ASCII names (the real one needs native code).

def _sandbox(native, on_import):
    # Only modules a context has loaded anyway: this runs in every session, and an import
    # of anything else (functools, importlib.util) costs a new context tens to hundreds of
    # milliseconds; what needs more imports it where it is used.
    import builtins
    import io
    import os
    import sys

    # ---- files --------------------------------------------------------------------------

    def explained(fn):
        def call(*args, **kwargs):
            native.lastDenial()  # forget a refusal the library swallowed before: only this call's counts
            try:
                return fn(*args, **kwargs)
            except PermissionError as e:
                why = native.lastDenial()
                if why is not None:
                    e.strerror = why
                raise
        call.__name__ = call.__qualname__ = fn.__name__
        call.__doc__ = fn.__doc__
        call.__wrapped__ = fn
        return call

    def rename(src, dst, *, src_dir_fd=None, dst_dir_fd=None):
        # GraalPy's own rename cannot reach the session's file system (see GuestFileSystem.rename)
        if src_dir_fd is not None or dst_dir_fd is not None:
            raise NotImplementedError('rename with dir_fd is not available')
        native.rename(os.fsdecode(os.fspath(src)), os.fsdecode(os.fspath(dst)))
    rename.__name__ = 'rename'
    os.rename = rename
    os.replace = rename

    native.lastDenial()  # nothing refused yet
    builtins.open = io.open = explained(io.open)
    for name in ('open', 'stat', 'lstat', 'listdir', 'scandir', 'mkdir', 'makedirs', 'remove', 'unlink', 'rmdir',
                 'rename', 'replace', 'chmod', 'utime', 'truncate', 'symlink', 'link', 'readlink', 'access'):
        f = getattr(os, name, None)
        if f is not None:
            setattr(os, name, explained(f))

    # ---- modules ------------------------------------------------------------------------

    loader_class = []

    def script_module_loader():
        # made on the first module found in a script's directory
        if not loader_class:
            import importlib.machinery

            class ScriptModuleLoader(importlib.machinery.SourceFileLoader):
                def get_data(self, path):
                    source = native.moduleSource(path)
                    if source is None:
                        raise FileNotFoundError(path)
                    return str(source).encode('utf-8')

                def path_stats(self, path):
                    raise OSError('no byte code cache for script modules')

                def set_data(self, path, data, *, _mode=0o666):
                    pass
            loader_class.append(ScriptModuleLoader)
        return loader_class[0]

    def spec(fullname, origin, package_dir=None):
        import importlib.util
        loader = script_module_loader()(fullname, origin)
        if package_dir is None:
            return importlib.util.spec_from_file_location(fullname, origin, loader=loader)
        return importlib.util.spec_from_file_location(fullname, origin, loader=loader, submodule_search_locations=[package_dir])

    class ScriptModules:
        """Imports modules from the script's directory and --python-path directories."""

        @classmethod
        def find_spec(cls, fullname, path=None, target=None):
            roots = [str(r) for r in native.moduleRoots()]
            if not roots:
                return None
            if path is None:
                places = roots
            else:
                places = [p for p in path if isinstance(p, str) and any(p == r or p.startswith(r + '/') for r in roots)]
            last = fullname.rpartition('.')[2]
            for place in places:
                base = place + '/' + last
                init = base + '/__init__.py'
                if native.moduleFile(init):
                    return spec(fullname, init, base)
                if native.moduleFile(base + '.py'):
                    return spec(fullname, base + '.py')
            return None

        @classmethod
        def invalidate_caches(cls):
            pass

    sys.meta_path.insert(0, ScriptModules)  # first, as CPython's sys.path[0] is the script's directory

    def source_lines(linecache):
        # A traceback shows the lines of the script and of the modules it imports, which
        # the session reads as it imports them (no read grant, nobody asked): linecache
        # reads them the same way. Other files go through the grants as before.
        updatecache = linecache.updatecache

        def updatecache_(filename, module_globals=None):
            if isinstance(filename, str) and filename.endswith('.py') and native.moduleFile(filename):
                source = native.moduleSource(filename)
                if source is not None:
                    source = str(source)
                    lines = source.splitlines(keepends=True)
                    if lines and not lines[-1].endswith('\n'):
                        lines[-1] += '\n'
                    linecache.cache[filename] = (len(source), None, lines, filename)  # no mtime: kept
                    return lines
            return updatecache(filename, module_globals)
        updatecache_.__doc__ = updatecache.__doc__
        linecache.updatecache = updatecache_

    on_import('linecache', after=source_lines)

    # ---- programs -----------------------------------------------------------------------

    def no_programs(what):
        def refuse(*args, **kwargs):
            raise PermissionError(1, '%s cannot start programs under Braid: start them with braid.process.spawn, '
                                     'granted with --allow-run=COMMAND' % what)
        refuse.__name__ = what.rpartition('.')[2]
        return refuse

    for name in ('system', 'popen', 'fork', 'forkpty', 'posix_spawn', 'posix_spawnp', 'execv', 'execve', 'execl', 'execle',
                 'execlp', 'execlpe', 'execvp', 'execvpe', 'spawnv', 'spawnve', 'spawnl', 'spawnle', 'spawnlp', 'spawnlpe',
                 'spawnvp', 'spawnvpe'):
        if hasattr(os, name):
            setattr(os, name, no_programs('os.' + name))
    def refuse_subprocess(subprocess):
        subprocess._fork_exec = no_programs('subprocess')
        import _posixsubprocess
        _posixsubprocess.fork_exec = subprocess._fork_exec

    # ---- threads and terminals ----------------------------------------------------------
    # The context starts no threads of its own, and GraalPy reports an attempt (or an
    # os.openpty) as a host error no Python code can catch, ending the job: raise what
    # CPython raises when it cannot.

    import _thread

    def start_new_thread(*args, **kwargs):
        raise RuntimeError("can't start new thread: Python code under Braid starts no threads; run blocking work "
                           "with asyncio.to_thread or braid.spawn_blocking")
    _thread.start_new_thread = start_new_thread
    if hasattr(_thread, 'start_new'):
        _thread.start_new = start_new_thread
    if 'threading' in sys.modules:
        sys.modules['threading']._start_new_thread = start_new_thread

    if hasattr(os, 'openpty'):
        def openpty():
            raise OSError(38, 'os.openpty is not available under Braid')  # ENOSYS
        os.openpty = openpty

    # ---- network ------------------------------------------------------------------------

    def after_import(name, patch):
        on_import(name, after=patch)

    def refuse_sockets(socket):
        # The module itself imports (asyncio, http and logging import it); making a socket or
        # resolving a name does not.
        message = ("Python's socket module needs unscoped network access (--allow-net); scoped grants apply to "
                   'braid.net and braid.fetch')

        def refuse(*args, **kwargs):
            raise PermissionError(1, message)

        class socket_(socket.socket):
            __slots__ = ()

            def __init__(self, *args, **kwargs):
                raise PermissionError(1, message)
        socket_.__name__ = socket_.__qualname__ = 'socket'
        socket_.__module__ = 'socket'
        socket.socket = socket.SocketType = socket_
        for name in ('getaddrinfo', 'gethostbyname', 'gethostbyname_ex', 'gethostbyaddr', 'getnameinfo', 'create_connection',
                     'create_server', 'socketpair', 'fromfd', 'getfqdn'):
            if hasattr(socket, name):
                setattr(socket, name, refuse)

    if not native.netUnscoped():
        after_import('socket', refuse_sockets)
    after_import('subprocess', refuse_subprocess)

    # ---- native code --------------------------------------------------------------------

    class NativeCode:
        @classmethod
        def find_spec(cls, fullname, path=None, target=None):
            if fullname in ('ctypes', '_ctypes'):
                raise PermissionError(1, 'ctypes loads native code, which Braid never allows guest code')
            return None

    sys.meta_path.insert(0, NativeCode)

    # ---- environment --------------------------------------------------------------------

    from _collections_abc import MutableMapping  # os imports it: no new import

    class Environ(MutableMapping):
        """The job's environment as the session's grants show it."""

        def __init__(self):
            self._set = {}
            self._removed = set()
            self._probing = ()  # names a library probes for here: ungranted, they read as unset

        def __getitem__(self, name):
            if name in self._set:
                return self._set[name]
            if name in self._removed or not isinstance(name, str):
                raise KeyError(name)
            if name in self._probing and not native.envGranted(name):
                raise KeyError(name)
            value = native.envRequire(name)  # PermissionError naming the grant, if it is not granted
            if value is None:
                raise KeyError(name)
            return str(value)

        def get(self, name, default=None):
            if name in self._set:
                return self._set[name]
            if name in self._removed or not isinstance(name, str):
                return default
            value = native.envGranted(name)
            return default if value is None else str(value)

        def __contains__(self, name):
            return self.get(name) is not None

        def __setitem__(self, name, value):
            if not isinstance(name, str) or not isinstance(value, str):
                raise TypeError('str expected, not %s' % type(value).__name__)
            self._removed.discard(name)
            self._set[name] = value

        def __delitem__(self, name):
            self[name]  # KeyError or PermissionError as a read would
            self._set.pop(name, None)
            self._removed.add(name)

        def __iter__(self):
            names = [str(n) for n in native.envNames() if str(n) not in self._removed]
            return iter(sorted(set(names) | set(self._set)))

        def __len__(self):
            return sum(1 for _ in self)

        def copy(self):
            return dict(self)

        def __repr__(self):
            return 'environ(%r)' % dict(self)

    os.environ = Environ()
    os.getenv = lambda key, default=None: os.environ.get(key, default)

    def trust_roots(ssl):
        # GraalPy's set_default_verify_paths (create_default_context calls it) reads
        # os.environ['SSL_CERT_FILE'] and ['SSL_CERT_DIR'] as OpenSSL would; ungranted, they
        # count as unset there, so the default trust store applies
        base = ssl.SSLContext.set_default_verify_paths

        def set_default_verify_paths(self):
            probing = os.environ._probing
            os.environ._probing = ('SSL_CERT_FILE', 'SSL_CERT_DIR')
            try:
                return base(self)
            finally:
                os.environ._probing = probing
        set_default_verify_paths.__doc__ = base.__doc__
        ssl.SSLContext.set_default_verify_paths = set_default_verify_paths

    on_import('ssl', after=trust_roots)

    # ---- host names ---------------------------------------------------------------------

    # ssl, socket and asyncio encode every host name with the 'idna' codec, whose module
    # imports stringprep, whose Unicode 3.2 tables are native code a session may not load.
    # So encodings.idna is this module instead: it takes the ASCII names (which IDNA leaves
    # as they are) and refuses the others, saying why.
    import codecs
    import encodings

    def idna_labels(name):
        labels = name.split('.')
        if labels and labels[-1] == '':
            labels = labels[:-1]
        for label in labels:
            if not 0 < len(label) < 64:
                raise UnicodeError('label empty or too long')

    def idna_encode(text, errors='strict'):
        text = str(text)
        try:
            data = text.encode('ascii')
        except UnicodeEncodeError:
            raise UnicodeError("the host name %r is not ASCII: encoding it with the 'idna' codec needs the Unicode "
                               "tables of stringprep, which are native code; give its ASCII (xn--) form" % text) from None
        idna_labels(text)
        return data, len(text)

    def idna_decode(data, errors='strict'):
        data = bytes(data)
        try:
            text = data.decode('ascii')
        except UnicodeDecodeError:
            raise UnicodeError("the host name %r is not ASCII" % data) from None
        if any(label.lower().startswith('xn--') for label in text.split('.')):
            raise UnicodeError("decoding the internationalized host name %r with the 'idna' codec needs the Unicode "
                               "tables of stringprep, which are native code" % text)
        return text, len(data)

    idna = type(sys)('encodings.idna', "The 'idna' codec for ASCII host names (Braid: stringprep needs "
                                       'native code)')
    idna.getregentry = lambda: codecs.CodecInfo(idna_encode, idna_decode, name='idna')
    sys.modules['encodings.idna'] = idna
    encodings.idna = idna

_sandbox
