# asyncio's I/O on Braid's reactor: streams, servers, UDP, name resolution and subprocesses,
# each under the session's grants (here: 127.0.0.1 on any port, the programs cat and sh).
import asyncio
import socket
import subprocess
import threading

import braid
from braid_test import eq, raises


def test_streams_echo_server_half_close_and_wait_closed():
    async def handle(reader, writer):
        while line := await reader.readline():
            writer.write(line.upper())
            await writer.drain()
        writer.write(b'bye\n')
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 0)
        host, port = server.sockets[0].getsockname()
        async with server:
            reader, writer = await asyncio.open_connection('127.0.0.1', port)
            peer = writer.get_extra_info('peername')
            got = []
            for word in (b'one', b'two'):
                writer.write(word + b'\n')
                await writer.drain()
                got.append(await reader.readline())
            writer.write_eof()
            got.append(await reader.read())
            writer.close()
            await writer.wait_closed()
        return host, peer == ('127.0.0.1', port), got, server.is_serving()
    eq(asyncio.run(main()), ('127.0.0.1', True, [b'ONE\n', b'TWO\n', b'bye\n'], False))


def test_many_clients_and_flow_control_with_a_large_write():
    async def handle(reader, writer):
        data = await reader.read()  # to the end
        writer.write(str(len(data)).encode())
        await writer.drain()
        writer.close()

    async def client(port, size):
        reader, writer = await asyncio.open_connection('127.0.0.1', port)
        writer.write(b'x' * size)
        await writer.drain()
        writer.write_eof()
        answer = await reader.read()
        writer.close()
        return int(answer)

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 0)
        port = server.sockets[0].getsockname()[1]
        sizes = [1, 1000, 300_000, 5, 2_000_000]
        got = await asyncio.gather(*(client(port, n) for n in sizes))
        server.close()
        await server.wait_closed()
        return got == sizes
    eq(asyncio.run(main()), True)


def test_connection_errors_and_grants():
    async def main():
        with raises(ConnectionRefusedError):
            await asyncio.open_connection('127.0.0.1', 1)  # nothing listens on port 1
        with raises(PermissionError, match='net access to 10.1.2.3:80 denied'):
            await asyncio.open_connection('10.1.2.3', 80)
        with raises(PermissionError, match='net access to 0.0.0.0'):
            await asyncio.start_server(lambda r, w: None, None, 0)  # every interface: not granted here
        with raises(PermissionError, match='net access to example.org denied'):
            await asyncio.get_running_loop().getaddrinfo('example.org', 443)
        with raises(NotImplementedError, match='no file-descriptor I/O'):
            asyncio.get_running_loop().add_reader(0, print)
        info = await asyncio.get_running_loop().getaddrinfo('127.0.0.1', 8080, type=1)
        return info[0][4]
    eq(asyncio.run(main()), ('127.0.0.1', 8080))


def test_udp_echo_with_connected_and_unconnected_endpoints():
    class Echo(asyncio.DatagramProtocol):
        def connection_made(self, transport):
            self.transport = transport

        def datagram_received(self, data, addr):
            self.transport.sendto(data.upper(), addr)

    class Client(asyncio.DatagramProtocol):
        def __init__(self):
            self.got = asyncio.Queue()

        def datagram_received(self, data, addr):
            self.got.put_nowait((data, addr))

    async def main():
        loop = asyncio.get_running_loop()
        server, _ = await loop.create_datagram_endpoint(Echo, local_addr=('127.0.0.1', 0))
        addr = server.get_extra_info('sockname')
        connected, c = await loop.create_datagram_endpoint(Client, remote_addr=addr)
        connected.sendto(b'ping')
        data, frm = await c.got.get()
        loose, l = await loop.create_datagram_endpoint(Client, local_addr=('127.0.0.1', 0))
        loose.sendto(b'pong', addr)
        data2, _ = await l.got.get()
        with raises(ValueError, match='Invalid address'):
            loose.sendto(b'x')
        unbound, u = await loop.create_datagram_endpoint(Client, family=socket.AF_INET)  # a free port
        unbound.sendto(b'pang', addr)
        data3, _ = await u.got.get()
        with raises(ValueError, match='unexpected address family'):
            await loop.create_datagram_endpoint(Client)
        for t in (connected, loose, unbound, server):
            t.close()
        return data, frm == addr, data2, data3
    eq(asyncio.run(main()), (b'PING', True, b'PONG', b'PANG'))


def test_subprocess_pipes_communicate_merge_and_exit_codes():
    async def main():
        p = await asyncio.create_subprocess_exec('cat', stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        out, err = await p.communicate(b'through cat\n')
        results = [(out, err, p.returncode)]
        p = await asyncio.create_subprocess_shell('echo out; echo err >&2; exit 3', stdout=subprocess.PIPE,
                                                  stderr=subprocess.PIPE)
        results.append(await p.communicate() + (await p.wait(),))
        p = await asyncio.create_subprocess_exec('sh', '-c', 'echo one; echo two >&2', stdout=subprocess.PIPE,
                                                 stderr=subprocess.STDOUT)
        merged = sorted((await p.stdout.read()).split())
        results.append((merged, await p.wait()))
        p = await asyncio.create_subprocess_exec('sh', '-c', 'read line; echo "got $line"', stdin=subprocess.PIPE,
                                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        p.stdin.write(b'hello\n')
        await p.stdin.drain()
        results.append((await p.stdout.readline(), await p.wait()))
        return results
    eq(asyncio.run(main()), [(b'through cat\n', None, 0), (b'out\n', b'err\n', 3), ([b'one', b'two'], 0),
                             (b'got hello\n', 0)])


def test_subprocess_kill_terminate_and_grants():
    async def main():
        p = await asyncio.create_subprocess_exec('sh', '-c', 'echo ready; sleep 30', stdout=subprocess.PIPE)
        eq(await p.stdout.readline(), b'ready\n')
        p.terminate()
        codes = [await p.wait()]
        p = await asyncio.create_subprocess_exec('cat', stdin=subprocess.PIPE)
        p.kill()
        codes.append(await p.wait())
        with raises(PermissionError, match='run access to ls denied'):
            await asyncio.create_subprocess_exec('ls')
        with raises(ValueError, match='file objects and descriptors are not supported'):
            await asyncio.create_subprocess_exec('cat', stdin=0)
        with raises(ValueError, match='SIGTERM or SIGKILL only'):
            p = await asyncio.create_subprocess_exec('cat', stdin=subprocess.PIPE)
            try:
                p.send_signal(10)
            finally:
                p.kill()
                await p.wait()
        return codes
    eq(asyncio.run(main()), [-15, -9])


def test_a_server_outliving_its_loop_settles_nothing():
    async def main():
        server = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
        return server.sockets[0].getsockname()[1]
    port = asyncio.run(main())  # the server is never closed: asyncio.run closes its loop

    async def probe():
        # the listener is gone with the loop's tasks or still accepts: neither may fail the session
        try:
            r, w = await asyncio.open_connection('127.0.0.1', port)
            w.close()
        except ConnectionRefusedError:
            pass
        return 'quiet'
    eq(asyncio.run(probe()), 'quiet')


def test_signal_handlers_need_a_job_and_take_sigint_and_sigterm_only():
    import signal

    async def main():
        loop = asyncio.get_running_loop()
        with raises(RuntimeError, match='no job'):
            loop.add_signal_handler(signal.SIGTERM, print)
        with raises(ValueError, match='SIGINT and SIGTERM'):
            loop.add_signal_handler(signal.SIGUSR1, print)
        with raises(TypeError, match='coroutines cannot be used'):
            loop.add_signal_handler(signal.SIGINT, main)
        return loop.remove_signal_handler(signal.SIGINT)
    eq(asyncio.run(main()), False)


def test_asyncio_tasks_are_listed_in_task_dump_with_their_coroutine_and_wait():
    async def sleeper():
        await asyncio.sleep(3600)

    async def waiter(other):
        await other

    async def main():
        s = asyncio.create_task(sleeper(), name='sleeper')
        w = asyncio.create_task(waiter(s), name='waiter')
        await asyncio.sleep(0)
        rows = {r['name']: r for r in braid.task_dump() if r['executor'] == 'asyncio loop'}
        s.cancel()
        w.cancel()
        rows['code'] = sleeper
        return rows
    rows = asyncio.run(main())
    sleeper = rows.pop('code')
    eq(sorted(rows), ['Task-1', 'sleeper', 'waiter'])
    eq((rows['Task-1']['state'], rows['Task-1']['coroutine']), ('running', 'main'))
    eq(rows['sleeper']['state'], 'idle')
    eq(rows['sleeper']['waits_on'], 'Future at %s:%d' % (sleeper.__code__.co_filename, sleeper.__code__.co_firstlineno + 1))
    eq(rows['waiter']['waits_on'].startswith("asyncio task 'sleeper' ("), True)


def test_braid_and_asyncio_awaitables_mix_both_ways():
    async def uses_asyncio(tag):
        await asyncio.sleep(0.01)
        fut = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().call_later(0.01, fut.set_result, tag)
        return await fut

    async def main():
        # a Braid task whose coroutine awaits asyncio's awaitables, while the loop runs
        spawned = await braid.spawn(uses_asyncio('in a braid task'))
        # Braid's awaitables in an asyncio task, beside asyncio's
        a, b = await asyncio.gather(braid.sleep(0.01), asyncio.sleep(0.01, result='asyncio'))
        t = asyncio.create_task(uses_asyncio('an asyncio task'))
        awaited_by_braid = await braid.spawn(t)  # an asyncio task awaited by a Braid task
        return spawned, a, b, awaited_by_braid
    eq(asyncio.run(main()), ('in a braid task', None, 'asyncio', 'an asyncio task'))


def test_a_long_iteration_lets_the_sessions_other_braid_tasks_run():
    from time import perf_counter
    count = [0]
    seen = []

    def busy():  # one callback: about a millisecond of work
        end = perf_counter() + 0.001
        while perf_counter() < end:
            pass
        count[0] += 1

    async def watcher():
        while count[0] < 300:
            seen.append(count[0])
            await braid.yield_now()

    async def main():
        loop = asyncio.get_running_loop()
        w = braid.spawn(watcher())
        for _ in range(300):  # all ready in one iteration of the loop
            loop.call_soon(busy)
        await asyncio.sleep(0)
        await w
    asyncio.run(main())
    eq(any(0 < n < 300 for n in seen), True)  # the Braid task ran in the middle of the batch


def test_call_soon_threadsafe_from_a_blocking_thread_wakes_the_waiting_loop():
    async def main():
        loop = asyncio.get_running_loop()
        fut = loop.create_future()

        ran = threading.Event()

        def elsewhere():  # on Braid's blocking pool, while the loop waits with nothing ready
            loop.call_soon_threadsafe(fut.set_result, 'woken')
            if not ran.wait(30):  # only the wake-up can end the loop's wait meanwhile
                raise RuntimeError('the loop did not run the callback')
        work = loop.run_in_executor(None, elsewhere)
        result = await fut
        ran.set()
        await work
        return result
    eq(asyncio.run(main()), 'woken')


def test_a_buffered_protocol_reads_into_its_own_buffer():
    class Collect(asyncio.BufferedProtocol):
        def __init__(self):
            self.buf = bytearray(4)
            self.got = bytearray()
            self.done = asyncio.get_running_loop().create_future()

        def get_buffer(self, sizehint):
            return self.buf

        def buffer_updated(self, n):
            self.got += self.buf[:n]

        def eof_received(self):
            self.done.set_result(bytes(self.got))

    async def main():
        async def send(reader, writer):
            writer.write(b'more than four bytes')
            writer.close()
        server = await asyncio.start_server(send, '127.0.0.1', 0)
        transport, proto = await asyncio.get_running_loop().create_connection(
            Collect, '127.0.0.1', server.sockets[0].getsockname()[1])
        got = await proto.done
        transport.close()
        server.close()
        return got
    eq(asyncio.run(main()), b'more than four bytes')
