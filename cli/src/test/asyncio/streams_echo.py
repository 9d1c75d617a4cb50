# An echo server and its clients over loopback: start_server, open_connection, readline, write/drain, EOF, close.
# Run it with:  ./braid run --allow-net=127.0.0.1 cli/src/test/asyncio/streams_echo.py
import asyncio

CONNECTIONS = 5
server_log = []
all_handled = asyncio.Event()


async def handle(reader, writer):
    server_log.append(f"peer on loopback: {writer.get_extra_info('peername')[0] == '127.0.0.1'}")
    lines = 0
    while True:
        line = await reader.readline()
        if not line:  # the client wrote EOF
            break
        lines += 1
        writer.write(b"echo: " + line.upper())
        await writer.drain()
    writer.write(f"bye after {lines} lines\n".encode())
    await writer.drain()
    writer.close()
    await writer.wait_closed()
    server_log.append(f"handled {lines} lines")
    if sum(entry.startswith("handled") for entry in server_log) == CONNECTIONS:
        all_handled.set()


async def client(port, words):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    replies = []
    for word in words:
        writer.write(word.encode() + b"\n")
        await writer.drain()
        replies.append((await reader.readline()).decode().rstrip("\n"))
    writer.write_eof()
    replies.append((await reader.readline()).decode().rstrip("\n"))
    replies.append(f"then {await reader.read()!r}, at EOF: {reader.at_eof()}")
    writer.close()
    await writer.wait_closed()
    return replies


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    host, port = server.sockets[0].getsockname()[:2]
    print("listening on", host, "serving:", server.is_serving())
    async with server:
        print("one client:", await client(port, ["hello", "braid"]))
        results = await asyncio.gather(
            client(port, ["a", "b", "c"]),
            client(port, ["x"]),
            client(port, []),
        )
        for r in results:
            print("concurrent client:", r)

        # readexactly and readuntil on a raw exchange
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"12345\nabc;def\n")
        await writer.drain()
        print("readexactly:", await reader.readexactly(8))
        print("readuntil:", await reader.readuntil(b";"))
        writer.write_eof()
        print("the rest:", await reader.read())
        try:
            await reader.readexactly(1)
        except asyncio.IncompleteReadError as e:
            print("readexactly past EOF: IncompleteReadError, partial", e.partial)
        writer.close()
        await writer.wait_closed()
        await all_handled.wait()
    print("served:", sorted(server_log))
    print("serving after close:", server.is_serving())

    try:
        await asyncio.open_connection("127.0.0.1", port)
    except ConnectionRefusedError:
        print("connecting to the closed port: ConnectionRefusedError")


asyncio.run(main())
