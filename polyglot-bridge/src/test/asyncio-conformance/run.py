# Runs CPython's own test_asyncio on Braid's asyncio event loop, and for comparison on
# GraalPy's default (selector) loop, and tallies the results per module. See README.md.
#
#   scripts/asyncio-conformance.sh [options] [MODULE[:Class,...]...]    (installs, then this)
#   braid run --allow-run=BRAID --allow-env [--allow-write=FILES] run.py --testdir DIR [options] [MODULES]
#
# This job starts the tests in a second Braid job (worker.py, `braid run -A`) and follows its
# events: a test that the worker's own watchdog cannot end is ended with the job, and a job
# that dies (a test took the whole process with it) is started again after that test, so one
# test never takes the run with it.

import sys
import os
import json
import time

import braid

HERE = os.path.dirname(os.path.abspath(sys.argv[0]))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(HERE))))  # the checkout

ALL_MODULES = [
    'test_futures', 'test_futures2', 'test_tasks', 'test_locks', 'test_queues', 'test_timeouts',
    'test_taskgroups', 'test_streams', 'test_subprocess', 'test_events', 'test_runners', 'test_waitfor',
    'test_pep492', 'test_context', 'test_threads', 'test_protocols', 'test_transports', 'test_server',
    'test_buffered_proto', 'test_sock_lowlevel', 'test_sendfile',
]
OUTCOMES = ('pass', 'fail', 'error', 'skip', 'hang')
LOOP_NAMES = {'braid': 'Braid', 'default': 'GraalPy default'}

USAGE = """usage: run.py --testdir DIR [options] [MODULE[:Class,Class...] ...]

  --testdir DIR      the `test` directory that scripts/asyncio-testsuite.sh prints
  --loop L           braid (the default), default (GraalPy's selector loop) or both
  --timeout S        seconds a test may run before the watchdog ends it (default 30)
  --job-timeout S    seconds a worker job may run at most (default 3600)
  --floors FILE      lines `MODULE[:Class,...] FLOOR`: the modules to run when none are
                     named, and the least number of tests that must pass on Braid's loop;
                     the run fails (exit 1) below a floor
  --details FILE     write every failure's whole traceback there
  --json FILE        write every test's result there
  --braid PATH       the braid command (default: the checkout's own)
  --grant ARG        the worker job's grant (repeatable; default: -A)
  --verbose          show each test as it ends

Modules default to: """ + ' '.join(ALL_MODULES)


def parse_args(argv):
    o = {'testdir': None, 'loop': 'braid', 'timeout': 30.0, 'job_timeout': 3600.0, 'floors': None, 'details': None, 'json': None,
         'braid': os.path.join(ROOT, 'braid'), 'grants': [], 'verbose': False, 'modules': []}
    valued = {'--testdir': 'testdir', '--loop': 'loop', '--timeout': 'timeout', '--job-timeout': 'job_timeout',
              '--floors': 'floors',
              '--details': 'details', '--json': 'json', '--braid': 'braid', '--grant': 'grants'}
    i = 0
    while i < len(argv):
        a = argv[i]
        key, eq, value = a.partition('=')
        if key in valued:
            if not eq:
                if i + 1 >= len(argv):
                    fail('%s needs a value' % a)
                value = argv[i + 1]
                i += 1
            name = valued[key]
            if name == 'grants':
                o['grants'].append(value)
            elif name in ('timeout', 'job_timeout'):
                o[name] = float(value)
            else:
                o[name] = value
        elif a == '--verbose':
            o['verbose'] = True
        elif a in ('-h', '--help'):
            print(USAGE)
            sys.exit(0)
        elif a.startswith('-'):
            fail('unknown option %s\n\n%s' % (a, USAGE))
        else:
            o['modules'].append(a)
        i += 1
    if o['loop'] not in ('braid', 'default', 'both'):
        fail('--loop is braid, default or both')
    if not o['testdir']:
        fail('--testdir is required (scripts/asyncio-testsuite.sh prints it)\n\n' + USAGE)
    if not o['grants']:
        o['grants'] = ['-A']
    return o


def fail(message):
    sys.stderr.write('run.py: %s\n' % message)
    sys.exit(2)


def read_floors(path):
    specs, floors = [], {}
    with open(path) as f:
        for line in f:
            line = line.split('#', 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                fail('%s: a line is `MODULE[:Class,...] FLOOR`, not %r' % (path, line))
            specs.append(parts[0])
            floors[parts[0].partition(':')[0]] = int(parts[1])
    return specs, floors


def log(message):
    sys.stderr.write(message + '\n')
    sys.stderr.flush()


class ModuleResult:
    def __init__(self, name):
        self.name = name
        self.tests = {}  # id -> event of its end
        self.started = None
        self.seconds = 0.0
        self.finished = False
        self.twins = {}  # a Braid class -> the selector class whose tests it runs

    def counts(self):
        c = dict.fromkeys(OUTCOMES, 0)
        for e in self.tests.values():
            c[e['o']] = c.get(e['o'], 0) + 1
        return c

    def kinds(self):
        """How many tests made the loop under test; only test_utils.TestLoop; only another
        stand-in loop (a bare BaseEventLoop with mocks); no loop at all."""
        on, test_loop, other, none = 0, 0, 0, 0
        for e in self.tests.values():
            k = set(e.get('k') or ())
            if k & {'braid', 'selector'}:
                on += 1
            elif 'testloop' in k:
                test_loop += 1
            elif k:
                other += 1
            else:
                none += 1
        return on, test_loop, other, none


class Run:
    """One loop's run of the modules: one worker job, started again when it dies."""

    def __init__(self, opts, mode, specs):
        self.opts = opts
        self.mode = mode
        self.specs = specs
        self.modules = {}
        self.order = []
        self.hello = None
        self.restarts = 0
        self.stderr_tail = []

    def module(self, name):
        if name not in self.modules:
            self.modules[name] = ModuleResult(name)
            self.order.append(name)
        return self.modules[name]

    def worker_args(self, specs, resume_after):
        o = self.opts
        args = ['run', *o['grants'], '--no-prompt', '--timeout=%ds' % o['job_timeout'], '--python-path=' + o['testdir'],
                os.path.join(HERE, 'worker.py'),
                '--testdir', o['testdir'], '--loop', self.mode, '--timeout', str(o['timeout'])]
        if resume_after:
            args += ['--resume-after', resume_after]
        return args + list(specs)

    async def run(self):
        specs = list(self.specs)
        resume_after = None
        last_stop = None
        while specs:
            outcome = await self.run_worker(specs, resume_after)
            if outcome is None:
                break  # every module done
            # the worker died or was ended: go on after the test it was in
            kind, module, test_id, last_ended = outcome
            self.restarts += 1
            name_of = [s.partition(':')[0] for s in specs]
            if module is None or module not in name_of:
                if self.hello is None:
                    raise SystemExit('run.py: the %s worker did not start:\n%s' % (self.mode, '\n'.join(self.stderr_tail)))
                module = name_of[0]
            m = self.module(module)
            rest = specs[name_of.index(module):]
            tail = '\n'.join(self.stderr_tail[-40:])
            if test_id is not None:
                m.tests[test_id] = {'e': 'end', 'id': test_id, 'm': module, 'o': 'hang' if kind == 'killed' else 'error',
                                    'msg': ('the worker job was ended: the test ran past its watchdog'
                                            if kind == 'killed' else 'the worker job died in this test: '
                                            + last_line_of(self.stderr_tail)),
                                    'tb': tail, 'k': [], 's': 0}
                log('  %s: %s %s, starting the worker again after it' % (self.mode, kind, test_id))
                specs, resume_after = rest, test_id
            else:
                # between tests (importing, a fixture): once more from the last test that ended,
                # and if it dies there again, the module is given up
                stop = (module, last_ended)
                if stop == last_stop:
                    key = module + ' (the worker job)'
                    m.tests[key] = {'e': 'end', 'id': key, 'm': module, 'o': 'error',
                                    'msg': 'the worker job %s outside a test, twice: module given up' % kind,
                                    'tb': tail, 'k': [], 's': 0}
                    m.finished = True
                    specs, resume_after = rest[1:], None
                    log('  %s: %s outside a test in %s twice; going on with the next module' % (self.mode, kind, module))
                else:
                    specs, resume_after = rest, last_ended
                    log('  %s: %s outside a test in %s; starting the worker again' % (self.mode, kind, module))
                last_stop = stop

    async def run_worker(self, specs, resume_after):
        """Runs one worker job; None when it finished, else (kind, module, test, last ended)."""
        o = self.opts
        child = braid.process.spawn(o['braid'], self.worker_args(specs, resume_after), stdout='piped', stderr='piped')
        lines = braid.channel()

        async def pump_out():
            async for line in child.stdout:
                await lines.send(line)
            lines.close()

        async def pump_err():
            async for line in child.stderr:
                self.stderr_tail.append(line)
                if len(self.stderr_tail) > 200:
                    del self.stderr_tail[:100]
        self.stderr_tail = []
        out_task = braid.spawn(pump_out)
        err_task = braid.spawn(pump_err)
        timeout = o['timeout']
        test_limit = timeout + 3 * max(5.0, timeout / 3) + 30  # the watchdog's three tries, then some
        quiet_limit = 300.0  # importing a module, a fixture: no test running
        current = None  # (module, id, started)
        module = None
        last_ended = resume_after
        done = False
        killed = False
        while True:
            now = time.monotonic()
            limit = (current[2] + test_limit - now) if current else quiet_limit
            try:
                line = await braid.timeout(max(0.1, limit), lines.recv())
            except TimeoutError:
                # a test past the watchdog's last try, or no event at all for long
                killed = True
                try:
                    await child.kill('SIGKILL')
                except Exception:
                    pass
                break
            if line is None:
                break
            if not line.startswith('@@conformance '):
                continue
            e = json.loads(line[len('@@conformance '):])
            kind = e['e']
            now = time.monotonic()
            if kind == 'hello':
                self.hello = e
            elif kind == 'module':
                module = e['m']
                m = self.module(module)
                m.twins.update(e.get('twins') or {})
                if m.started is None:
                    m.started = now
            elif kind == 'start':
                current = (e['m'], e['id'], now)
            elif kind == 'hang':
                log('  %s: watchdog: %s still running after %gs (%d loop(s) told to stop)' % (
                    self.mode, e['id'], timeout, e.get('loops', 0)))
            elif kind == 'end':
                m = self.module(e['m'])
                m.tests[e['id']] = e
                if current is not None and current[1] == e['id']:
                    current = None
                    last_ended = e['id']
                if o['verbose']:
                    log('  %-5s %s %s' % (e['o'], e['id'], e['msg'] if e['o'] != 'pass' else ''))
            elif kind == 'module_end':
                m = self.module(e['m'])
                m.finished = True
                m.seconds = now - m.started if m.started is not None else e['s']
                c = m.counts()
                log('%s %-20s %s  %6.1f s' % (LOOP_NAMES[self.mode].ljust(15), e['m'],
                                             ' '.join('%s %d' % (k, c[k]) for k in OUTCOMES), m.seconds))
                module = None
                last_ended = None
            elif kind == 'done':
                done = True
        await child.wait()
        await out_task
        err_task.abort()
        if done:
            return None
        m_name = current[0] if current else module
        if m_name is not None:
            m = self.module(m_name)
            if m.started is not None:
                m.seconds = time.monotonic() - m.started
        return ('killed' if killed else 'died', m_name, current[1] if current else None, last_ended)


def last_line_of(lines):
    for l in reversed(lines):
        if l.strip():
            return l.strip()
    return ''


def fmt_counts(c):
    return '%d/%d/%d/%d' % (c['pass'], c['fail'], c['error'], c['skip']) + ('/%d' % c['hang'] if c['hang'] else '')


def report(runs, floors):
    modes = [r.mode for r in runs]
    names = []
    for r in runs:
        for n in r.order:
            if n not in names:
                names.append(n)
    out = []
    w = max([len(n) for n in names] + [6])
    head = '%-*s' % (w, 'module')
    for r in runs:
        head += ' | %-30s | %7s' % (LOOP_NAMES[r.mode] + ' p/f/e/s[/hang]', 'time')
    if 'braid' in modes:
        head += ' | on loop/TestLoop/mock/none (Braid run)'
    out.append(head)
    out.append('-' * len(head))
    totals = {r.mode: dict.fromkeys(OUTCOMES, 0) for r in runs}
    for n in names:
        row = '%-*s' % (w, n)
        for r in runs:
            m = r.modules.get(n)
            if m is None:
                row += ' | %-30s | %7s' % ('-', '-')
                continue
            c = m.counts()
            for k in OUTCOMES:
                totals[r.mode][k] += c[k]
            row += ' | %-30s | %6.0fs' % (fmt_counts(c) + ('' if m.finished else ' (incomplete)'), m.seconds)
        if 'braid' in modes:
            m = [r for r in runs if r.mode == 'braid'][0].modules.get(n)
            if m is not None:
                row += ' | %d/%d/%d/%d' % m.kinds()
        out.append(row)
    out.append('-' * len(head))
    row = '%-*s' % (w, 'total')
    for r in runs:
        row += ' | %-30s | %6.0fs' % (fmt_counts(totals[r.mode]), sum(m.seconds for m in r.modules.values()))
    out.append(row)
    out.append('')
    out.append('p/f/e/s: passed, failed, errors, skipped; hang: ended by the watchdog. On loop: tests that made '
               'the loop under test; TestLoop: tests that made only test_utils.TestLoop (asyncio\'s own machinery '
               'on a mock loop); mock: only another stand-in loop (a bare BaseEventLoop with mocks); none: no loop.')
    for r in runs:
        bad = [(n, e) for n in r.order for e in r.modules[n].tests.values() if e['o'] in ('fail', 'error', 'hang')]
        out.append('')
        out.append('%s loop: %d not passed%s' % (LOOP_NAMES[r.mode], len(bad),
                                                 ' (worker restarted %d times)' % r.restarts if r.restarts else ''))
        for n, e in bad:
            out.append('  %-5s %s: %s' % (e['o'].upper(), e['id'].replace('test.test_asyncio.', ''), e['msg']))
    if len(runs) == 2:
        out.extend(differences(runs[0], runs[1]))
    verdict = True
    if floors and 'braid' in modes:
        br = [r for r in runs if r.mode == 'braid'][0]
        out.append('')
        out.append('Floors (tests that must pass on Braid\'s loop):')
        for n, floor in floors.items():
            m = br.modules.get(n)
            got = m.counts()['pass'] if m else 0
            ok = got >= floor
            verdict = verdict and ok
            out.append('  %-*s %4d passed, floor %4d  %s' % (w, n, got, floor, 'ok' if ok else 'BELOW THE FLOOR'))
    return '\n'.join(out), verdict


def differences(braid_run, default_run):
    """The tests whose outcome differs between the two loops (a Braid class's tests matched
    with those of the selector class it stands for)."""
    def keyed(run):
        out = {}
        for m in run.modules.values():
            for e in m.tests.values():
                key = e['id']
                parts = key.split('.')
                if len(parts) >= 2 and parts[-2] in m.twins:
                    key = '.'.join(parts[:-2] + [m.twins[parts[-2]], parts[-1]])
                out[key] = e
        return out
    b, d = keyed(braid_run), keyed(default_run)
    worse = [(k, b[k], d[k]) for k in b if k in d and b[k]['o'] in ('fail', 'error', 'hang') and d[k]['o'] == 'pass']
    better = [(k, b[k], d[k]) for k in b if k in d and b[k]['o'] == 'pass' and d[k]['o'] in ('fail', 'error', 'hang')]
    out = ['', 'Not passed on Braid\'s loop, passed on GraalPy\'s default loop: %d' % len(worse)]
    for k, eb, ed in worse:
        out.append('  %-5s %s: %s' % (eb['o'].upper(), eb['id'].replace('test.test_asyncio.', ''), eb['msg']))
    out.append('')
    out.append('Passed on Braid\'s loop, not on GraalPy\'s default loop: %d' % len(better))
    for k, eb, ed in better:
        out.append('  %-5s %s (default loop: %s)' % ('PASS', eb['id'].replace('test.test_asyncio.', ''), ed['msg']))
    return out


def write_details(path, runs):
    with open(path, 'w') as f:
        for r in runs:
            f.write('=' * 78 + '\n%s loop\n' % LOOP_NAMES[r.mode] + '=' * 78 + '\n')
            for n in r.order:
                for e in r.modules[n].tests.values():
                    if e['o'] in ('fail', 'error', 'hang'):
                        f.write('\n--- %s %s\n%s\n' % (e['o'].upper(), e['id'], e.get('tb') or e['msg']))


def write_json(path, runs):
    data = {}
    for r in runs:
        data[r.mode] = {'hello': r.hello, 'restarts': r.restarts, 'modules': {
            n: {'seconds': round(r.modules[n].seconds, 1), 'finished': r.modules[n].finished,
                'counts': r.modules[n].counts(), 'tests': [
                    {k: e.get(k) for k in ('id', 'o', 'msg', 'k', 's')} for e in r.modules[n].tests.values()]}
            for n in r.order}}
    with open(path, 'w') as f:
        json.dump(data, f, indent=1)


async def main():
    o = parse_args(sys.argv[1:])
    floors = {}
    specs = o['modules']
    if o['floors']:
        floor_specs, floors = read_floors(o['floors'])
        if not specs:
            specs = floor_specs
    if not specs:
        specs = list(ALL_MODULES)
    modes = ['braid', 'default'] if o['loop'] == 'both' else [o['loop']]
    runs = []
    t0 = time.monotonic()
    for mode in modes:
        r = Run(o, mode, specs)
        log('%s loop: %s' % (LOOP_NAMES[mode], ' '.join(specs)))
        await r.run()
        if r.hello:
            log('  (%s; %s)' % (r.hello['policy'], r.hello['note']))
        runs.append(r)
    text, ok = report(runs, floors)
    print(text)
    print('\nran in %.0f s' % (time.monotonic() - t0))
    if o['details']:
        write_details(o['details'], runs)
    if o['json']:
        write_json(o['json'], runs)
    if not ok:
        print('asyncio conformance: below a floor')
        sys.exit(1)


braid.run(main())
