# The host API from Python: braid.fs, braid.process, braid.net, braid.stdin, braid.fetch.
import braid
from braid_test import eq, raises


async def test_fs_text_bytes_stat_dirs_and_walk():
    fs = braid.fs
    root = await fs.make_temp_dir('py-fs-')
    await fs.write_text(root + '/a.txt', 'héllo')
    eq(await fs.read_text(root + '/a.txt'), 'héllo')
    await fs.write_bytes(root + '/b.bin', b'\x00\x01\xff')
    eq(await fs.read_bytes(root + '/b.bin'), b'\x00\x01\xff')
    await fs.append(root + '/a.txt', ' world')
    await fs.append(root + '/b.bin', bytearray(b'\x02'))
    eq(await fs.read_text(root + '/a.txt'), 'héllo world')
    eq(len(await fs.read_bytes(root + '/b.bin')), 4)
    info = await fs.stat(root + '/a.txt')
    eq((info.size, info.is_file, info.is_dir), (len('héllo world'.encode()), True, False))
    assert info.mtime > 1e9, info
    await fs.mkdir(root + '/sub/deeper', recursive=True)
    await fs.copy(root + '/a.txt', root + '/sub/deeper/c.txt')
    await fs.rename(root + '/b.bin', root + '/sub/b.bin')
    eq(sorted([e.name async for e in fs.read_dir(root)]), ['a.txt', 'sub'])
    found = [e.path[len(root):] async for e in fs.walk(root, include_dirs=False)]
    eq(sorted(found), ['/a.txt', '/sub/b.bin', '/sub/deeper/c.txt'])
    eq([e.name async for e in fs.walk(root, match=r'\.txt$', skip='deeper')], ['a.txt'])
    await fs.remove(root + '/sub', recursive=True)
    eq([e.name async for e in fs.read_dir(root)], ['a.txt'])


async def test_fs_checks_the_grants():
    with raises(PermissionError, match='read access to /etc/hostname denied'):
        await braid.fs.read_text('/etc/hostname')
    with raises(TypeError, match='data must be bytes'):
        braid.fs.write_bytes(grant_dir() + '/x', 'text')


async def test_process_run_and_spawn():
    done = await braid.process.run('sh', ['-c', 'echo out; echo err >&2; exit 3'])
    eq((done.code, done.success, done.stdout, done.stderr), (3, False, 'out\n', 'err\n'))
    child = braid.process.spawn('cat', stdin='piped')
    await child.stdin.write('one\ntwo\n')
    await child.stdin.write(b'three\n')
    await child.stdin.close()
    eq([line async for line in child.stdout], ['one', 'two', 'three'])
    status = await child.wait()
    eq((status.code, status.success), (0, True))
    with raises(PermissionError, match="run access to ls denied"):
        await braid.process.run('ls')


async def test_process_spawn_with_streams_not_piped():
    child = braid.process.spawn('sh', ['-c', 'echo to-null; echo to-stderr >&2; exit 4'], stdout='null', stderr='inherit')
    eq((child.stdout, child.stderr, child.stdin), (None, None, None))
    eq((await child.wait()).code, 4)
    child = braid.process.spawn('cat', stdin='piped', stdout='piped', stderr='null')
    await child.stdin.write('only stdout\n')
    await child.stdin.close()
    eq(await child.stdout.read_line(), 'only stdout')
    eq((await child.wait()).code, 0)


async def test_process_spawn_env_and_kill():
    child = braid.process.spawn('sh', ['-c', 'echo $GREETING; sleep 30'], env={'GREETING': 'hi'})
    eq(await child.stdout.read_line(), 'hi')
    child.kill()
    status = await child.wait()
    eq(status.success, False)
    eq(status.signal, 'SIGTERM')


async def test_net_echo_over_loopback():
    listener = braid.net.listen('127.0.0.1', 0)

    async def serve():
        async for conn in listener:
            async with conn:
                async for line in conn:
                    await conn.write(line.upper() + '\n')
            return
    server = braid.spawn(serve)
    conn = await braid.net.connect('127.0.0.1', listener.port)
    await conn.write('hello\n')
    await conn.write(b'bytes too\n')
    await conn.close_write()
    eq([line async for line in conn], ['HELLO', 'BYTES TOO'])
    conn.close()
    await server
    listener.close()
    with raises(PermissionError, match='net access to example.com:80 denied'):
        await braid.net.connect('example.com', 80)


async def test_fetch_from_a_server_on_braid_net():
    listener = braid.net.listen('127.0.0.1', 0)

    async def serve():
        conn = await listener.accept()
        request = []
        async for line in conn:
            if line == '':
                break
            request.append(line)
        body = b'{"answer": 42, "path": "%s"}' % request[0].split()[1].encode()
        await conn.write(b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Test: yes\r\n'
                         b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(body) + body)
        conn.close()
        return request[0]
    server = braid.spawn(serve)
    r = await braid.fetch('http://127.0.0.1:%d/hello?x=1' % listener.port, timeout=30)
    eq((r.status, r.ok, r.headers['x-test']), (200, True, 'yes'))
    eq(await r.json(), {'answer': 42, 'path': '/hello?x=1'})
    with raises(RuntimeError, match='already been read'):
        await r.text()
    eq(await server, 'GET /hello?x=1 HTTP/1.1')
    listener.close()
    with raises(PermissionError, match='net access to example.com:443 denied'):
        await braid.fetch('https://example.com/')


async def test_stdin_ends_at_once_without_input():
    eq(await braid.stdin.read_line(), None)
    eq([line async for line in braid.stdin], [])


def test_progress_counts_and_checks_its_total():
    with braid.progress(3, label='work') as bar:
        bar.tick()
        bar.tick(2)
        eq(bar.value, 3)
        bar.update(1)
        eq(bar.value, 1)
    bar.tick()
    eq(bar.value, 1, 'done: no more counting')
    with raises(ValueError, match='total must be a number >= 0'):
        braid.progress(-1)
