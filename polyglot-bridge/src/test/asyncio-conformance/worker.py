# The in-process half of the asyncio conformance run: runs CPython's test_asyncio modules
# with unittest inside one Braid job, on Braid's event loop (--loop braid) or on GraalPy's own
# selector loop (--loop default), and reports every test as one JSON line on standard output
# for run.py, which starts this job, watches it and tallies. See README.md.
#
#   braid run -A --python-path=TESTDIR worker.py --testdir TESTDIR --loop braid|default
#       [--timeout SECONDS] [--resume-after TEST_ID] MODULE[:Class,Class...]...
#
# TESTDIR is the `test` directory that scripts/asyncio-testsuite.sh installs. Everything the
# tests themselves print goes to standard error; standard output carries only the events.

import sys
import time
import json
import traceback

EVENTS = sys.stdout
EVENT_PREFIX = '@@conformance '


def emit(**event):
    EVENTS.write(EVENT_PREFIX + json.dumps(event) + '\n')
    EVENTS.flush()


def parse_args(argv):
    opts = {'loop': 'braid', 'timeout': 30.0, 'resume_after': None, 'testdir': None, 'modules': []}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ('--loop', '--timeout', '--resume-after', '--testdir'):
            if i + 1 >= len(argv):
                raise SystemExit('worker.py: %s needs a value' % a)
            v = argv[i + 1]
            i += 2
            if a == '--loop':
                if v not in ('braid', 'default'):
                    raise SystemExit('worker.py: --loop is braid or default, not %r' % v)
                opts['loop'] = v
            elif a == '--timeout':
                opts['timeout'] = float(v)
            elif a == '--resume-after':
                opts['resume_after'] = v
            else:
                opts['testdir'] = v
        elif a.startswith('-'):
            raise SystemExit('worker.py: unknown option %s' % a)
        else:
            opts['modules'].append(a)
            i += 1
    if not opts['testdir']:
        raise SystemExit('worker.py: --testdir is required')
    if not opts['modules']:
        raise SystemExit('worker.py: name at least one module (test_futures, ...)')
    return opts


# ---- the job's environment -------------------------------------------------------------

def add_testsuite(testdir):
    # GraalPy's own `test` package holds only test.support (a namespace package); the
    # Debian test directory joins it, so that test.test_asyncio imports and test.support
    # stays GraalPy's (it knows GraalPy's quirks).
    import test
    testdir = testdir.rstrip('/')
    paths = [p for p in test.__path__ if p != testdir]
    test.__path__ = paths + [testdir]
    import test.support  # noqa: F401 (fails early if the stdlib half is missing)


class Loops:
    """Which kinds of event loop each test made: BaseEventLoop's constructor notes them."""

    def __init__(self, base_events, braid, test_loop_class):
        self.made = []  # weak references to the loops of the running test
        self.kinds = set()
        import weakref
        import asyncio
        braid_loop = braid.BraidEventLoop
        selector_loop = asyncio.SelectorEventLoop
        original = base_events.BaseEventLoop.__init__
        loops = self

        def kind(loop):
            if isinstance(loop, braid_loop):
                return 'braid'
            if test_loop_class is not None and isinstance(loop, test_loop_class()):
                return 'testloop'
            if isinstance(loop, selector_loop):
                return 'selector'
            return 'other'

        def __init__(self, *args, **kwargs):
            loops.made.append(weakref.ref(self))
            try:
                loops.kinds.add(kind(self))
            except Exception:
                loops.kinds.add('other')
            original(self, *args, **kwargs)
        base_events.BaseEventLoop.__init__ = __init__

    def reset(self):
        self.made = []
        self.kinds = set()

    def running(self, made):
        out = []
        for ref in made:
            loop = ref()
            if loop is not None and not loop.is_closed() and loop.is_running():
                out.append(loop)
        return out


def install_loop(mode, asyncio, braid):
    """Makes `mode`'s loop the one that asyncio.new_event_loop(), asyncio.run() and
    IsolatedAsyncioTestCase get, also after a test resets the policy with
    asyncio.set_event_loop_policy(None) (every test_asyncio module does in tearDownModule):
    that makes asyncio.DefaultEventLoopPolicy the policy again, so it is pointed at the mode's
    policy class. Returns a line that says what was done."""
    from asyncio import events, unix_events
    if mode == 'braid':
        policy = braid.BraidEventLoopPolicy
    else:
        policy = unix_events._UnixDefaultEventLoopPolicy
    notes = []
    if asyncio.DefaultEventLoopPolicy is not policy:
        notes.append('asyncio.DefaultEventLoopPolicy was %s; set to %s' % (
            asyncio.DefaultEventLoopPolicy.__name__, policy.__name__))
        asyncio.DefaultEventLoopPolicy = policy
    if getattr(events, 'DefaultEventLoopPolicy', policy) is not policy:
        events.DefaultEventLoopPolicy = policy
    asyncio.set_event_loop_policy(None)
    if not isinstance(asyncio.get_event_loop_policy(), policy):
        raise SystemExit('worker.py: could not make %s the event loop policy' % policy.__name__)
    return '; '.join(notes) or 'asyncio.DefaultEventLoopPolicy is already %s' % policy.__name__


# ---- Braid's loop in the modules that test a loop class by class --------------------------
#
# Where CPython tests each of its loops with a mixin of tests and one small class per loop
# that makes it (create_event_loop(), new_loop(), setUp), the Braid run replaces those
# classes with one that makes Braid's loop; the rest of the module runs as it is, on the
# policy's loop (Braid's).

SELECTOR_CLASSES = ('SelectEventLoopTests', 'PollEventLoopTests', 'EPollEventLoopTests',
                    'KqueueEventLoopTests', 'ProactorEventLoopTests')


def braid_classes(name, module, braid):
    """(names of the module's classes to leave out, classes to add) for Braid's loop."""
    import unittest
    from test.test_asyncio import utils as test_utils

    def make(cls_name, bases, methods, twin):
        # twin: the class of the module whose tests these are on the selector loop
        cls = type(cls_name, bases, dict(methods))
        cls.__module__ = module.__name__
        cls.__qualname__ = cls_name
        cls.selector_twin = twin
        return cls

    def create_event_loop(self):
        return braid.BraidEventLoop()

    if name == 'test_events':
        # UnixEventLoopTestsMixin only adds a child watcher, which is the selector loop's.
        return SELECTOR_CLASSES, [make('BraidEventLoopTests', (
            module.EventLoopTestsMixin, module.SubprocessTestsMixin, test_utils.TestCase),
            {'create_event_loop': create_event_loop}, 'SelectEventLoopTests')]
    if name == 'test_sock_lowlevel':
        return SELECTOR_CLASSES, [make('BraidSockTests', (module.BaseSockTestsMixin, test_utils.TestCase),
                                       {'create_event_loop': create_event_loop}, 'SelectEventLoopTests')]
    if name == 'test_sendfile':
        return SELECTOR_CLASSES, [make('BraidSendfileTests', (module.SendfileTestsBase, test_utils.TestCase),
                                       {'create_event_loop': create_event_loop}, 'SelectEventLoopTests')]
    if name == 'test_subprocess':
        def setUp(self):
            test_utils.TestCase.setUp(self)
            self.loop = braid.BraidEventLoop()
            self.set_event_loop(self.loop)
        watchers = [n for n in dir(module) if n.startswith('Subprocess') and n.endswith('WatcherTests')]
        return watchers + ['SubprocessProactorTests'], [
            make('BraidSubprocessTests', (module.SubprocessMixin, test_utils.TestCase), {'setUp': setUp},
                 'SubprocessThreadedWatcherTests')]
    if name in ('test_server', 'test_buffered_proto'):
        # the selector class holds tests of its own (Unix sockets): keep them, on Braid's loop
        selector = 'SelectorStartServerTests' if name == 'test_server' else 'BufferedProtocolSelectorTests'
        proactor = 'ProactorStartServerTests' if name == 'test_server' else 'BufferedProtocolProactorTests'
        new_name = 'BraidStartServerTests' if name == 'test_server' else 'BufferedProtocolBraidTests'
        return (selector, proactor), [make(new_name, (getattr(module, selector),),
                                           {'new_loop': lambda self: braid.BraidEventLoop()}, selector)]
    return (), []


# ---- GraalPy has no C accelerator for asyncio (_asyncio) ------------------------------------

C_TASK_CLASSES = {'test_futures2': ('CFutureTests',)}


class c_task_placeholder:
    """test_futures2 of 3.11 reads asyncio.tasks._CTask unguarded in a class body, so the
    module fails to import without the C accelerator (later CPython guards it). While such a
    module imports, a placeholder stands in, and the classes that would use it are left out
    (without_c_accelerator); they are the ones the module skips without _CTask."""

    def __init__(self, name):
        self.name = name
        self.lent = False

    def __enter__(self):
        from asyncio import tasks
        if self.name in C_TASK_CLASSES and not hasattr(tasks, '_CTask'):
            tasks._CTask = type('_CTaskPlaceholder', (), {})
            self.lent = True

    def __exit__(self, *exc):
        if self.lent:
            from asyncio import tasks
            del tasks._CTask


def without_c_accelerator(name):
    from asyncio import tasks
    if hasattr(tasks, '_CTask') and not tasks._CTask.__name__.endswith('Placeholder'):
        return ()
    return C_TASK_CLASSES.get(name, ())


TTY_MODULES = ('test_events',)


class tty_stand_in:
    """test_events imports tty at its top, and tty imports termios, a C extension that a
    Braid context (no native access) cannot load. While such a module imports and tty does
    not, a stand-in takes its place whose functions raise what the import raised: the module
    loads, and the one test that calls tty.setraw fails with that error. (Only there: a second
    attempt to load termios in the process raises SystemError, not ImportError.)"""

    def __init__(self, name):
        self.name = name
        self.lent = False

    def __enter__(self):
        if self.name not in TTY_MODULES or 'tty' in sys.modules:
            return
        try:
            import tty  # noqa: F401
        except Exception as e:
            import types
            why = 'tty is unavailable: %s: %s' % (type(e).__name__, e)
            stand_in = types.ModuleType('tty', why)

            def unavailable(*args, **kwargs):
                raise ImportError(why)
            for f in ('setraw', 'setcbreak', 'cfmakeraw', 'cfmakecbreak'):
                setattr(stand_in, f, unavailable)
            sys.modules['tty'] = stand_in
            self.lent = True

    def __exit__(self, *exc):
        if self.lent:
            sys.modules.pop('tty', None)


class RunningLoopFunctions:
    """asyncio's running-loop functions as they were when the worker started. test_events'
    GetEventLoopTestsMixin replaces them in setUp (with the pure-Python or the accelerated
    ones) and puts them back in tearDown, which unittest skips when setUp fails halfway (on a
    loop without add_signal_handler, at the child watcher): the functions then stay mixed,
    asyncio's accelerated current_task() no longer sees the running loop, and every later
    test fails. After each test they are put back; the test's result says so."""

    NAMES = ('_get_running_loop', '_set_running_loop', 'get_running_loop', 'get_event_loop')

    def __init__(self, asyncio):
        from asyncio import events
        self.modules = (events, asyncio)
        self.saved = [(m, n, getattr(m, n)) for m in self.modules for n in self.NAMES if hasattr(m, n)]

    def restore(self):
        changed = []
        for m, n, f in self.saved:
            if getattr(m, n, None) is not f:
                setattr(m, n, f)
                changed.append('%s.%s' % (m.__name__, n))
        return changed


# ---- running -----------------------------------------------------------------------------

class TestHang(SystemExit):
    """Raised by the watchdog in a test's running loop: a callback that raises SystemExit
    leaves the loop at once (asyncio passes it through), and unittest records it as the
    test's error and goes on with tearDown and the next test."""


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1].strip() if lines else ''


def make_result_class(unittest, braid, loops, timeout, module_name, running_loop_functions):
    class Result(unittest.TestResult):
        """Reports each test as an event; a Braid task per test is its watchdog."""

        def __init__(self):
            super().__init__()
            self.counts = {}
            self.outcomes = {}  # test id -> its outcome as reported
            self.last_stopped = None

        def recharge(self, test, msg, tb):
            """The test's outcome is an error after all (raised outside its run)."""
            old = self.outcomes.get(test.id())
            if old is not None:
                self.counts[old] -= 1
            self.counts['error'] = self.counts.get('error', 0) + 1
            self.outcomes[test.id()] = 'error'
            emit(e='end', id=test.id(), m=module_name, o='error', msg=msg, tb=tb[-6000:], k=sorted(loops.kinds), s=0)

        def startTest(self, test):
            super().startTest(test)
            loops.reset()
            self.state = {'o': None, 'msg': '', 'tb': '', 'hung': False}
            self.t0 = time.monotonic()
            emit(e='start', id=test.id(), m=module_name)
            self.dog = braid.spawn(self.watch, test.id())

        async def watch(self, test_id):
            made, state = loops.made, self.state  # this test's, not the next one's
            await braid.sleep(timeout)
            for round_ in range(3):
                if state is not self.state:
                    return  # the test ended meanwhile
                state['hung'] = True
                running = loops.running(made)
                emit(e='hang', id=test_id, m=module_name, round=round_, loops=len(running))
                for loop in running:
                    def hang(test_id=test_id):
                        raise TestHang('no end after %gs' % timeout)
                    try:
                        loop.call_soon_threadsafe(hang)
                    except Exception:
                        pass
                await braid.sleep(max(5.0, timeout / 3))

        def stopTest(self, test):
            try:
                self.dog.abort()
            except Exception:
                pass
            super().stopTest(test)
            s = self.state
            outcome = s['o'] or 'pass'
            if s['hung']:
                outcome = 'hang'
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            self.outcomes[test.id()] = outcome
            self.last_stopped = test
            event = dict(e='end', id=test.id(), m=module_name, o=outcome, msg=s['msg'], tb=s['tb'][-6000:],
                         k=sorted(loops.kinds), s=round(time.monotonic() - self.t0, 3))
            restored = running_loop_functions.restore()
            if restored:
                event['restored'] = restored
                event['msg'] += ' [the test left %s replaced: put back]' % ', '.join(restored)
                sys.stderr.write('worker: %s left %s replaced; put back\n' % (test.id(), ', '.join(restored)))
            emit(**event)
            self.state = {'o': None, 'msg': '', 'tb': '', 'hung': False}  # the watchdog's test has ended

        # precedence: error > fail > skip > pass
        def _set(self, outcome, msg, tb=''):
            order = {None: 0, 'pass': 1, 'skip': 2, 'fail': 3, 'error': 4}
            s = self.state
            if order[outcome] >= order[s['o']]:
                s['o'] = outcome
                s['msg'] = msg
                s['tb'] = tb

        def _err(self, err):
            try:
                tb = ''.join(traceback.format_exception(*err))
            except Exception as e:
                tb = 'traceback not formatted: %r' % (e,)
            try:
                msg = ''.join(traceback.format_exception_only(err[0], err[1])).strip().splitlines()[-1]
            except Exception:
                msg = last_line(tb)
            return msg, tb

        def _outside(self, test, outcome, err):
            # a module or class fixture (setUpClass, tearDownModule): no test is running
            msg, tb = self._err(err)
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            emit(e='end', id=str(test), m=module_name, o=outcome, msg=msg, tb=tb[-6000:], k=[], s=0)

        def addError(self, test, err):
            super().addError(test, err)
            if not isinstance(test, unittest.TestCase):
                return self._outside(test, 'error', err)
            self._set('error', *self._err(err))

        def addFailure(self, test, err):
            super().addFailure(test, err)
            self._set('fail', *self._err(err))

        def addSuccess(self, test):
            super().addSuccess(test)
            self._set('pass', '')

        def addSkip(self, test, reason):
            super().addSkip(test, reason)
            if not isinstance(test, unittest.TestCase):
                self.counts['skip'] = self.counts.get('skip', 0) + 1
                emit(e='end', id=str(test), m=module_name, o='skip', msg=str(reason), tb='', k=[], s=0)
                return
            self._set('skip', str(reason))

        def addExpectedFailure(self, test, err):
            super().addExpectedFailure(test, err)
            self._set('pass', 'expected failure')

        def addUnexpectedSuccess(self, test):
            super().addUnexpectedSuccess(test)
            self._set('fail', 'unexpected success')

        def addSubTest(self, test, subtest, err):
            super().addSubTest(test, subtest, err)
            if err is not None:
                failed = issubclass(err[0], test.failureException)
                msg, tb = self._err(err)
                self._set('fail' if failed else 'error', '%s: %s' % (subtest._subDescription(), msg), tb)

    return Result


def tests_of(suite):
    import unittest
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from tests_of(t)
        else:
            yield t


def run_module(spec, opts, braid, loops, skipping, running_loop_functions):
    """Runs one module; returns whether the tests after --resume-after have begun."""
    import importlib
    import unittest
    name, _, only = spec.partition(':')
    classes = [c for c in only.split(',') if c]
    full = 'test.test_asyncio.' + name
    t0 = time.monotonic()
    try:
        with c_task_placeholder(name), tty_stand_in(name):
            module = importlib.import_module(full)
    except unittest.SkipTest as e:
        emit(e='module', m=name)
        emit(e='end', id=full, m=name, o='skip', msg='module skipped: %s' % e, tb='', k=[], s=0)
        emit(e='module_end', m=name, s=round(time.monotonic() - t0, 3))
        return skipping
    except BaseException as e:
        if isinstance(e, KeyboardInterrupt):
            raise
        tb = traceback.format_exc()
        emit(e='module', m=name)
        emit(e='end', id=full, m=name, o='error', msg='import failed: ' + last_line(tb), tb=tb[-6000:], k=[], s=0)
        emit(e='module_end', m=name, s=round(time.monotonic() - t0, 3))
        return skipping
    leave_out, add = ((), [])
    if opts['loop'] == 'braid':
        leave_out, add = braid_classes(name, module, braid)
    leave_out = tuple(leave_out) + without_c_accelerator(name)
    loader = unittest.TestLoader()
    suite = loader.loadTestsFromModule(module)
    tests = []
    for t in tests_of(suite):
        cls = type(t).__name__
        if cls in leave_out:
            continue
        tests.append(t)
    for cls in add:
        tests.extend(tests_of(loader.loadTestsFromTestCase(cls)))
    if classes:
        tests = [t for t in tests if type(t).__name__ in classes]
    if skipping:
        ids = [t.id() for t in tests]
        if opts['resume_after'] in ids:
            tests = tests[ids.index(opts['resume_after']) + 1:]
            skipping = False
        else:
            return skipping  # not this module
    emit(e='module', m=name, tests=len(tests), twins={c.__name__: c.selector_twin for c in add})
    Result = make_result_class(unittest, braid, loops, opts['timeout'], name, running_loop_functions)
    result = Result()
    pending = tests
    while pending:
        try:
            result._testRunEntered = False  # a fresh top-level run: it tears the module down at its end
            unittest.TestSuite(pending).run(result)
            pending = []
        except KeyboardInterrupt:
            raise
        except BaseException:
            # Raised outside unittest's own guards: IsolatedAsyncioTestCase sets up and closes
            # its asyncio.Runner around the test's run (closing it shuts down the default
            # executor, which needs a thread on a selector loop). Charged to the test it came
            # from; the module goes on after that test.
            tb = traceback.format_exc()
            last = result.last_stopped
            after = last is not None and last in pending and '_tearDownAsyncioRunner' in tb
            i = pending.index(last) + 1 if after else (pending.index(last) + 1 if last in pending else 0)
            if after:
                culprit, msg = last, 'after the test: ' + last_line(tb)
            elif i < len(pending):
                culprit, msg = pending[i], 'before the test: ' + last_line(tb)
                i += 1
            else:
                emit(e='end', id=full + ' (the suite)', m=name, o='error', msg='the run itself failed: ' + last_line(tb),
                     tb=tb[-6000:], k=[], s=0)
                break
            result.recharge(culprit, msg, tb)
            pending = pending[i:]
    emit(e='module_end', m=name, s=round(time.monotonic() - t0, 3), counts=result.counts)
    return skipping


def main(argv):
    opts = parse_args(argv)
    sys.stdout = sys.stderr  # what the tests print stays out of the events
    started = time.monotonic()
    add_testsuite(opts['testdir'])
    import asyncio
    import braid
    from asyncio import base_events
    note = install_loop(opts['loop'], asyncio, braid)

    def test_loop_class():
        from test.test_asyncio import utils as test_utils
        return test_utils.TestLoop
    loops = Loops(base_events, braid, test_loop_class)
    running_loop_functions = RunningLoopFunctions(asyncio)
    emit(e='hello', loop=opts['loop'], policy=type(asyncio.get_event_loop_policy()).__name__, note=note,
         python=sys.version.split()[0], implementation=sys.implementation.name,
         setup=round(time.monotonic() - started, 3))
    skipping = opts['resume_after'] is not None
    for spec in opts['modules']:
        skipping = run_module(spec, opts, braid, loops, skipping, running_loop_functions)
        running_loop_functions.restore()
        # a module may leave the policy reset or changed: the next one starts as the first did
        install_loop(opts['loop'], asyncio, braid)
    emit(e='done', s=round(time.monotonic() - started, 3))


main(sys.argv[1:])
