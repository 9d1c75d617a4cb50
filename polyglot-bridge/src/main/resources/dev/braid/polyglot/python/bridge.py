# Braid: what the bridge needs inside a Python context. Evaluated once per session; the
# names it returns are held by the Java side only (nothing here is a guest global).

def _make():
    import sys

    class BraidFuture:
        """A Braid future as a Python awaitable (sleep, a task handle, a host call that waits).

        Awaiting it hands it to the coroutine's driver, which polls the future on the
        session's strand and resumes the coroutine with its value or raises its error.
        """
        __slots__ = ('_f', '__weakref__')

        def __init__(self, f):
            self._f = f

        def __await__(self):
            adopt = _in_asyncio_task[0]
            if adopt is not None:
                # Awaited by a task of Braid's asyncio loop: an asyncio future stands in for it
                waiting = adopt(self)
                if waiting is not None:
                    return (yield from waiting.__await__())
            return (yield self)

        def __repr__(self):
            return '<braid future>'

    # Set by Braid's asyncio loop (aio.py): adopt(braid_future) gives an asyncio future for
    # it when the code awaiting runs in one of the loop's tasks now, else None.
    _in_asyncio_task = [None]

    class TaskMembers:
        """What a task's handle offers besides awaiting: id, abort(), done() (over the
        members the natives give it, _m)."""
        __slots__ = ()

        @property
        def id(self):
            """The task's id (as task_dump() and stall reports name it)."""
            return self._m.id

        def abort(self):
            """Cancels the task: it gets CancelledError at its pending await."""
            self._m.abort()

        def done(self):
            """Whether the task has ended (returned, raised or been cancelled)."""
            return bool(self._m.isFinished())

        def __repr__(self):
            return '<braid task %d%s>' % (self._m.id, ' done' if self.done() else '')

    class Task(BraidFuture, TaskMembers):
        """A task's handle (braid.spawn): awaiting it gives the task's value or raises its
        exception, and an aborted task raises CancelledError. Awaiting is not owning: a
        coroutine that awaits a handle and is cancelled leaves the task running."""
        __slots__ = ('_m',)

        def __init__(self, f, m):
            self._f = f
            self._m = m

    def wrap(f, members):
        return BraidFuture(f) if members is None else Task(f, members)

    def unwrap(v):
        t = type(v)
        return v._f if t is BraidFuture or t is Task else None

    async def _probe():
        pass
    _c = _probe()
    coroutine_type = type(_c)
    _c.close()

    def is_awaitable(v):
        t = type(v)
        return t is coroutine_type or hasattr(t, '__await__')

    def awaiting(v):
        """The iterator that drives an awaitable: a coroutine itself, else its __await__()."""
        return v if type(v) is coroutine_type else type(v).__await__(v)

    # Set by Braid's asyncio loop (aio.py) while one runs in the session: steps a coroutine
    # of a Braid task with that loop as the running loop (so asyncio's awaitables work there too).
    _around_step = [None]

    def step(it, value, exc):
        """Resumes it once: (False, what it yielded, None), (True, its value, None) when it
        returned, or (True, None, the exception) when it raised."""
        around = _around_step[0]
        if around is not None:
            return around(it, value, exc, plain_step)
        return plain_step(it, value, exc)

    def plain_step(it, value, exc):
        try:
            y = it.send(value) if exc is None else it.throw(exc)
        except StopIteration as e:
            return (True, e.value, None)
        except BaseException as e:
            return (True, None, e)
        return (False, y, None)

    def close(it):
        close = getattr(it, 'close', None)
        if close is not None:
            close()

    def call(fn, args):
        return fn(*args)

    def program(body):
        """A parsed module body as a function that returns its last expression's value. GraalPy
        returns the module itself when there is no such value (a statement, None)."""
        def run():
            try:
                r = body()
            except SystemExit as e:
                # As CPython does for an uncaught SystemExit: a code that is neither None nor
                # an int is printed to stderr and the exit status is 1. (GraalPy's exit of
                # the context keeps only the status.)
                if e.code is not None and not isinstance(e.code, int):
                    print(e.code, file=sys.stderr)
                    sys.stderr.flush()
                    raise SystemExit(1) from None
                raise
            return None if r is sys.modules['__main__'] else r
        return run

    def await_cell(code, filename):
        """Interactive code that awaits at its top level (GraalPy compiles no top-level await),
        rewritten as IPython does: its statements become the body of an async function whose
        value is the last expression's, with every name the cell binds declared global, so
        its assignments, imports and definitions land in __main__ as they would at the top
        level. Returns a function that defines it and returns its coroutine."""
        import ast
        tree = ast.parse(str(code), str(filename))
        bound = set()

        def bind_target(t):
            for n in ast.walk(t):
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                    bound.add(n.id)
                elif isinstance(n, ast.Starred) and isinstance(n.value, ast.Name):
                    bound.add(n.value.id)

        def visit(node):
            # what a statement binds in the scope it is in (not inside nested functions and classes)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound.add(node.name)
                for d in node.decorator_list:
                    visit(d)
                return
            if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                return
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for a in node.names:
                    if a.name == '*':
                        raise SyntaxError('import * cannot be used in code that awaits at its top level',
                                          (str(filename), node.lineno, node.col_offset + 1, None))
                    bound.add(a.asname or a.name.split('.')[0])
                return
            if isinstance(node, ast.NamedExpr):
                bind_target(node.target)
            elif isinstance(node, (ast.Assign,)):
                for t in node.targets:
                    bind_target(t)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor)):
                bind_target(node.target)
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None:
                        bind_target(item.optional_vars)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                bound.add(node.name)
            elif isinstance(node, ast.Global):
                bound.update(node.names)
            elif hasattr(ast, 'MatchAs') and isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                bound.add(node.name)
            elif hasattr(ast, 'MatchMapping') and isinstance(node, ast.MatchMapping) and node.rest:
                bound.add(node.rest)
            elif isinstance(node, ast.Delete):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        bound.add(t.id)
            for child in ast.iter_child_nodes(node):
                visit(child)

        body = tree.body
        for stmt in body:
            visit(stmt)
        body = [s_ for s_ in body if not isinstance(s_, ast.Global)]
        if body and isinstance(body[-1], ast.Expr):
            last = body[-1]
            body[-1] = ast.copy_location(ast.Return(value=last.value), last)
        if not body:
            body = [ast.Pass()]
        if bound:
            body.insert(0, ast.Global(names=sorted(bound)))
        fn = ast.AsyncFunctionDef(name='__braid_cell__', args=ast.arguments(posonlyargs=[], args=[], kwonlyargs=[], kw_defaults=[],
                                  defaults=[]), body=body, decorator_list=[], returns=None, type_params=[], lineno=1, col_offset=0)
        module = ast.fix_missing_locations(ast.Module(body=[fn], type_ignores=[]))
        compiled = compile(module, str(filename), 'exec')

        def run():
            main = sys.modules['__main__'].__dict__
            exec(compiled, main)
            return main.pop('__braid_cell__')()
        return run

    class ClosedError(Exception):
        """A channel or another Braid object was used after it was closed."""

    _cancelled = []

    def cancelled_error_type():
        # asyncio's own class, so that code written for asyncio catches it. Made on the first
        # cancellation only, and without importing the asyncio package (a second or more,
        # interpreted): its small exceptions module is loaded under its own name, which a
        # later `import asyncio` finds in sys.modules and reuses, so the class is the same.
        if not _cancelled:
            mod = sys.modules.get('asyncio.exceptions')
            if mod is None:
                mod = _load_asyncio_exceptions()
            _cancelled.append(mod.CancelledError)
        return _cancelled[0]

    def _load_asyncio_exceptions():
        import importlib.machinery
        import importlib.util
        import os
        path = os.path.join(os.path.dirname(os.__file__), 'asyncio', 'exceptions.py')
        spec = importlib.util.spec_from_file_location('asyncio.exceptions', path)
        if spec is None:
            import asyncio
            return asyncio.exceptions
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        sys.modules['asyncio.exceptions'] = mod

        # The package's __init__ reads the name `exceptions`, which only a submodule it loads
        # itself would bind: bind ours before it runs.
        on_import('asyncio', before=lambda package: setattr(package, 'exceptions', mod))
        return mod

    _on_import = {}  # module name -> [(before, after)], until it is imported

    class ImportHooks:
        """Runs the hooks of on_import around the first execution of their module."""

        @staticmethod
        def find_spec(fullname, path=None, target=None):
            hooks = _on_import.pop(fullname, None)
            if hooks is None:
                return None
            if not _on_import:
                sys.meta_path.remove(ImportHooks)
            import importlib.machinery
            found = importlib.machinery.PathFinder.find_spec(fullname, path)
            if found is None or found.loader is None:
                return found
            exec_module = found.loader.exec_module

            def exec_around(module):
                for before, _ in hooks:
                    if before is not None:
                        before(module)
                exec_module(module)
                for _, after in hooks:
                    if after is not None:
                        after(module)
            found.loader.exec_module = exec_around
            return found

    def on_import(name, before=None, after=None):
        """Runs before(module) and after(module) around the first execution of the standard
        library module `name` (after at once if it is imported already)."""
        if name in sys.modules:
            if after is not None:
                after(sys.modules[name])
            return
        if not _on_import:
            sys.meta_path.insert(0, ImportHooks)
        _on_import.setdefault(name, []).append((before, after))

    _host_errors = {
        'IllegalArgumentException': ValueError,
        'NumberFormatException': ValueError,
        'IllegalStateException': RuntimeError,
        'UnsupportedOperationException': NotImplementedError,
        'IOException': OSError,
        'UncheckedIOException': OSError,
        'NoSuchFileException': FileNotFoundError,
        'FileNotFoundException': FileNotFoundError,
        'FileAlreadyExistsException': FileExistsError,
        'DirectoryNotEmptyException': OSError,
        'AccessDeniedException': PermissionError,
        'NotDirectoryException': NotADirectoryError,
        'AtomicMoveNotSupportedException': OSError,
        'NotLinkException': OSError,
        'FileSystemException': OSError,
        'FileSystemLoopException': OSError,
        'ConnectException': ConnectionRefusedError,
        'ArithmeticException': ArithmeticError,
        'IndexOutOfBoundsException': IndexError,
        'NullPointerException': TypeError,
    }

    def new_error(kind, host_name, message):
        if kind == 'CANCELLED' or kind == 'ABORTED':
            return cancelled_error_type()(message)
        if kind == 'TIMEOUT':
            return TimeoutError(message)
        if kind == 'PERMISSION_DENIED':
            return PermissionError(message)
        if kind == 'CLOSED':
            return ClosedError(message)
        if kind == 'INTERRUPTED':
            return KeyboardInterrupt()
        cls = _host_errors.get(host_name, RuntimeError)
        return cls(message if cls is not RuntimeError else host_name + ': ' + message)

    def _frames(e):
        frames = []
        tb = e.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
            tb = tb.tb_next
        return frames

    def _traceback(e, frames):
        lines = ['Traceback (most recent call last):'] if frames else []
        for f, n, fn in frames:
            lines.append('  File "%s", line %d, in %s' % (f, n, fn))
        message = str(e)
        lines.append(type(e).__name__ + (': ' + message if message else ''))
        return lines

    def describe(e):
        """(name, message, stack text, [(file, line, function), ...] innermost last). The text
        is CPython's traceback, with the exceptions it was raised from or while handling
        (its chain) first."""
        if not isinstance(e, BaseException):
            return (None, repr(e), '', [])
        frames = _frames(e)
        chain = []
        c = e
        while len(chain) < 10:
            cause = c.__cause__
            how = 'The above exception was the direct cause of the following exception:'
            if cause is None and not c.__suppress_context__:
                cause = c.__context__
                how = 'During handling of the above exception, another exception occurred:'
            if cause is None or any(cause is x for x, _ in chain) or cause is e:
                break
            chain.append((cause, how))
            c = cause
        lines = []
        for cause, how in reversed(chain):
            lines += _traceback(cause, _frames(cause)) + ['', how, '']
        lines += _traceback(e, frames)
        return (type(e).__name__, str(e), '\n'.join(lines) + '\n', frames)

    _compound = ('def', 'class', 'if', 'for', 'while', 'with', 'try', 'async', 'match')

    def is_incomplete(code):
        """Whether code is the beginning of valid code, as Python's own REPL decides: an open
        bracket or triple-quoted string, a block header without its body, or a compound
        statement not yet ended by an empty line."""
        code = str(code)
        try:
            compile(code, '<input>', 'exec')
        except SyntaxError as e:
            m = str(e.msg)
            if ('was never closed' in m or 'unterminated triple-quoted' in m or 'unexpected EOF' in m
                    or 'incomplete input' in m):
                return True
            lines = [l.strip() for l in code.split('\n') if l.strip()]
            if lines and all(l.startswith('@') for l in lines):
                return True  # decorators waiting for their def or class
            return 'expected an indented block' in m and code.rstrip().endswith(':')
        except (ValueError, OverflowError):
            return False
        first = code.lstrip().split(None, 1)
        head = first[0] if first else ''
        return (head.startswith('@') or head.split(':')[0] in _compound) and not code.endswith('\n')

    import keyword as _keyword
    import builtins as _builtins

    def complete(path, prefix):
        path = [str(p) for p in path]
        prefix = str(prefix)
        namespace = vars(sys.modules['__main__'])
        if not path:
            names = set(namespace) | set(dir(_builtins)) | set(_keyword.kwlist)
        else:
            import inspect
            if path[0] in namespace:
                o = namespace[path[0]]
            elif hasattr(_builtins, path[0]):
                o = getattr(_builtins, path[0])
            else:
                return []
            for name in path[1:]:
                try:
                    o = inspect.getattr_static(o, name)
                except AttributeError:
                    return []
                if isinstance(o, property) or (hasattr(type(o), '__get__') and not callable(o)):
                    return []  # a descriptor: reading its value would run code
            names = set(dir(o))
        return sorted(n for n in names if n.startswith(prefix) and (prefix.startswith('_') or not n.startswith('_')))

    def set_argv(argv):
        sys.argv = [str(a) for a in argv]

    def unraisable(u):
        # sys.unraisablehook (what a weakref callback or a finalizer raised, say) as CPython
        # prints it, with the traceback as describe() gives it: GraalPy's own hook reads the
        # source files for their lines, and a file the session may not read makes it fail.
        try:
            if u.object is not None:
                try:
                    obj = repr(u.object)
                except BaseException:
                    obj = '<object repr() failed>'
                head = '%s: %s\n' % (u.err_msg or 'Exception ignored in', obj)
            else:
                head = u.err_msg + ':\n' if u.err_msg else ''
            if u.exc_value is not None:
                text = describe(u.exc_value)[2]
            else:
                text = getattr(u.exc_type, '__name__', repr(u.exc_type)) + '\n'
            sys.stderr.write(head + text)
            sys.stderr.flush()
        except BaseException:
            pass
    sys.unraisablehook = unraisable

    return {
        'set_argv': set_argv, 'await_cell': await_cell,
        'wrap': wrap, 'unwrap': unwrap, 'is_awaitable': is_awaitable, 'awaiting': awaiting, 'step': step,
        'close': close, 'call': call, 'program': program, 'new_error': new_error, 'describe': describe,
        'is_incomplete': is_incomplete, 'complete': complete, 'repr': repr, 'cancelled_error_type': cancelled_error_type,
        'ClosedError': ClosedError, 'coroutine_type': coroutine_type, 'library': sys.prefix,
        'make_list': lambda xs: list(xs), 'make_dict': lambda ks, vs: dict(zip(ks, vs)),
        'TaskMembers': TaskMembers, 'on_import': on_import, 'in_asyncio_task': _in_asyncio_task,
        'around_step': _around_step,
    }

_make()
