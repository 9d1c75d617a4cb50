# Least privilege for Python's own ways out: files, programs, sockets, native code and the
# environment follow the session's grants, and a refusal names the grant (the braid command
# names its flags: see the command's tests).
import os

from braid_test import eq, raises


def test_reading_an_ungranted_file_names_the_flag():
    with raises(PermissionError, match=r'read access to /etc/hostname denied: .*\(grant it with ') as e:
        open('/etc/hostname')
    eq(e.value.filename, '/etc/hostname')
    import pathlib
    with raises(PermissionError, match='read access to /etc/passwd denied'):
        pathlib.Path('/etc/passwd').read_text()
    with raises(PermissionError, match='read access to /etc denied'):
        os.listdir('/etc')


def test_a_granted_directory_is_read_and_written_through_open_os_and_pathlib():
    import pathlib
    root = pathlib.Path(grant_dir()) / 'sandbox-files'
    root.mkdir()
    (root / 'a.txt').write_text('alpha')
    with open(root / 'b.txt', 'w') as f:
        f.write('beta')
    eq(sorted(os.listdir(root)), ['a.txt', 'b.txt'])
    eq(open(str(root / 'a.txt')).read(), 'alpha')
    os.rename(root / 'b.txt', root / 'c.txt')
    eq((root / 'c.txt').read_text(), 'beta')
    os.remove(root / 'a.txt')
    eq([p.name for p in root.iterdir()], ['c.txt'])
    with raises(PermissionError, match='write access to /tmp/.* denied'):
        open(os.path.join(os.path.dirname(grant_dir()), 'outside.txt'), 'w')


def test_links_cannot_reach_out_of_the_grants():
    with raises(PermissionError, match='write access to /etc/hostname denied'):
        os.symlink('/etc/hostname', os.path.join(grant_dir(), 'to-etc-hostname'))
    import sandbox_helper
    with raises(PermissionError, match='write access to .*sandbox_helper.py denied'):
        os.link(sandbox_helper.__file__, os.path.join(grant_dir(), 'hard-link'))


def test_renames_fail_with_oserrors():
    root = os.path.join(grant_dir(), 'renames')
    os.makedirs(root + '/a')
    os.makedirs(root + '/b/inside')
    with raises(OSError) as e:
        os.rename(root + '/a', root + '/b')
    assert type(e.value) is not RuntimeError, e.value
    with raises(FileNotFoundError):
        os.rename(root + '/missing', root + '/c')


def test_programs_start_only_through_braid():
    import subprocess
    for start in (lambda: os.system('true'), lambda: os.popen('true'), lambda: subprocess.run(['true'])):
        with raises(PermissionError, match=r'braid.process.spawn, granted with --allow-run'):
            start()


def test_sockets_need_unscoped_network_access_but_the_module_imports():
    import asyncio  # imports socket
    import socket
    with raises(PermissionError, match=r'unscoped network access \(--allow-net\)'):
        socket.socket()
    with raises(PermissionError, match='--allow-net'):
        socket.create_connection(('127.0.0.1', 9))
    assert asyncio.sleep is not None


def test_native_code_is_refused():
    with raises(PermissionError, match='ctypes loads native code'):
        import ctypes  # noqa: F401


def test_the_environment_shows_granted_variables_only():
    eq(dict(os.environ), {'BRAID_TEST_VISIBLE': 'seen'})
    eq(os.environ['BRAID_TEST_VISIBLE'], 'seen')
    eq(os.getenv('BRAID_TEST_SECRET'), None)
    eq(os.environ.get('BRAID_TEST_SECRET', 'default'), 'default')
    assert 'BRAID_TEST_SECRET' not in os.environ
    with raises(PermissionError, match=r'env access to BRAID_TEST_SECRET denied: .*\(grant it with '):
        os.environ['BRAID_TEST_SECRET']
    os.environ['MINE'] = 'set here'
    eq(os.environ['MINE'], 'set here')


def test_the_scripts_own_directory_is_importable_but_not_readable():
    import sandbox_helper
    eq(sandbox_helper.VALUE, 'imported without a read grant')
    with raises(PermissionError, match='read access to .*sandbox_helper.py denied'):
        open(sandbox_helper.__file__)
    # the module loader serves module files only: not the directory's other files
    data = os.path.join(os.path.dirname(sandbox_helper.__file__), 'not_a_module.txt')
    for path in (data, '/etc/hostname'):
        with raises(FileNotFoundError):
            sandbox_helper.__loader__.get_data(path)


def test_starting_a_thread_raises_runtime_error_instead_of_ending_the_job():
    import os
    import threading
    with raises(RuntimeError, match="can't start new thread"):
        threading.Thread(target=print).start()
    with raises(OSError, match='openpty'):
        os.openpty()


def test_a_traceback_shows_the_lines_of_the_script_and_its_modules_but_of_no_other_file():
    import linecache
    import traceback

    def fails():
        raise ValueError('shown with its line')  # the line a traceback shows
    try:
        fails()
    except ValueError:
        text = traceback.format_exc()
    eq("raise ValueError('shown with its line')  # the line a traceback shows" in text, True, text)
    import sandbox_helper
    eq(linecache.getline(sandbox_helper.__file__, 2), "VALUE = 'imported without a read grant'\n")
    data = os.path.join(os.path.dirname(sandbox_helper.__file__), 'not_a_module.txt')
    eq((linecache.getline(data, 1), linecache.getline('/etc/hostname', 1)), ('', ''))
