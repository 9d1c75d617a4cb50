# The loop's sock_* methods on Python's own non-blocking sockets: accept, connect, sendall, recv, recv_into, UDP.
# Run it with:  ./braid run --allow-net cli/src/test/asyncio/sock_methods.py
import asyncio
import socket


async def serve(loop, listener):
    conn, _ = await loop.sock_accept(listener)
    with conn:
        print("accepted, non-blocking:", conn.gettimeout() == 0)
        total = 0
        while data := await loop.sock_recv(conn, 65536):
            total += len(data)
            if total >= 200_000:
                break
        await loop.sock_sendall(conn, b"got %d bytes\n" % total)


async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.setblocking(False)
    server = asyncio.create_task(serve(loop, listener))

    client = socket.socket()
    client.setblocking(False)
    await loop.sock_connect(client, listener.getsockname())
    await loop.sock_sendall(client, b"x" * 200_000)
    buf = bytearray(64)
    n = await loop.sock_recv_into(client, buf)
    print("reply:", bytes(buf[:n]))
    await server
    client.close()
    listener.close()

    loop.set_debug(True)  # CPython refuses a blocking socket in debug mode (Braid always does)
    blocking = socket.socket()
    try:
        await loop.sock_recv(blocking, 1)
    except ValueError as e:
        print("a blocking socket:", "must be non-blocking" in str(e))
    blocking.close()
    loop.set_debug(False)

    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for s in (a, b):
        s.bind(("127.0.0.1", 0))
        s.setblocking(False)
    waiting = asyncio.create_task(loop.sock_recvfrom(b, 100))
    await asyncio.sleep(0.05)
    print("the datagram is awaited:", not waiting.done())
    await loop.sock_sendto(a, b"ping", b.getsockname())
    data, sender = await waiting
    print("datagram:", data, sender == a.getsockname())
    a.close()
    b.close()


asyncio.run(main())
