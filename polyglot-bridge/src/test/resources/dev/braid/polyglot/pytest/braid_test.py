# Installed by the JUnit runner (dev.braid.polyglot.pytest.PyTestRunner) into every Python
# test session as the module `braid_test`; not part of Braid's production API.
#
#   eq(actual, expected, msg='')        actual == expected, showing both when not
#   raises(ExcType, match=None)         a context manager: the block must raise ExcType
#                                       (match: a regular expression searched in str(e));
#                                       the exception is then in .value
#   fail(msg)
#
# A test file defines `def test_...()` or `async def test_...()` functions; each runs in a
# fresh session (an async one is awaited on Braid), with plain `assert` or these helpers.
import re as _re
import sys as _sys
import types as _types

_m = _types.ModuleType('braid_test')


class _Raises:
    def __init__(self, expected, match):
        self.expected = expected
        self.match = match
        self.value = None

    def __enter__(self):
        return self

    def __exit__(self, t, e, tb):
        name = getattr(self.expected, '__name__', repr(self.expected))
        if t is None:
            raise AssertionError('expected %s, but nothing was raised' % name)
        if not issubclass(t, self.expected):
            return False  # the unexpected exception propagates as it is
        if self.match is not None and not _re.search(self.match, str(e)):
            raise AssertionError('expected %s matching %r, got %s: %s' % (name, self.match, t.__name__, e))
        self.value = e
        return True


def raises(expected, match=None):
    return _Raises(expected, match)


def eq(actual, expected, msg=''):
    if not (actual == expected):
        raise AssertionError('%sexpected %r, got %r' % (msg + ': ' if msg else '', expected, actual))


def fail(msg):
    raise AssertionError(msg)


def _cases():
    main = _sys.modules['__main__']
    out = []
    for name, fn in vars(main).items():
        if name.startswith('test_') and callable(fn):
            code = getattr(fn, '__code__', None)
            out.append([name, code.co_firstlineno if code is not None else 0])
    return out


_m.raises = raises
_m.eq = eq
_m.fail = fail
_m.cases = _cases
_sys.modules['braid_test'] = _m
