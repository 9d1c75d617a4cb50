# TLS on Braid's event loop: asyncio's SSLProtocol over Braid's TCP transports, with the ssl
# module's memory BIOs. The session may connect to 127.0.0.1 and read and write grant_dir().
import asyncio
import os
import ssl

from braid_test import eq, raises

# A self-signed certificate for localhost and 127.0.0.1 (P-256, valid until 2126), made for
# these tests with: openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes
#   -days 36500 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1
CERT = '''\
-----BEGIN CERTIFICATE-----
MIIBmjCCAUGgAwIBAgIUdYgF/MB71khcNBngXIGKq2wi/bcwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwNTA4NTgzMFoYDzIxMjYxMTEx
MDg1ODMwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAARIOKMWYX1a1MQt0abP8HllcXkC1n5MXiN21/nHiD2/dmp2rbVfyduW
R3PRv/u+JyxSvNwgRVLGmJvbiTk3G/wao28wbTAdBgNVHQ4EFgQU7GnvTgeZ3iuF
HrhkkYqglYMK7NMwHwYDVR0jBBgwFoAU7GnvTgeZ3iuFHrhkkYqglYMK7NMwDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI
zj0EAwIDRwAwRAIgPaHWa8hAAlSoygg5OuDiDy5Yv5KusUTgIL97VeuRIYICIDbm
7W5Z4Q1sBAA3xQ/KyFfrceu0y9KCX5xfPQcqx/BY
-----END CERTIFICATE-----
'''

KEY = '''\
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgwhpHeiaMZ29dhrTC
1qnt99dq2cXZ8F3QBqNp3Yddb7ehRANCAARIOKMWYX1a1MQt0abP8HllcXkC1n5M
XiN21/nHiD2/dmp2rbVfyduWR3PRv/u+JyxSvNwgRVLGmJvbiTk3G/wa
-----END PRIVATE KEY-----
'''


def contexts():
    keycert = os.path.join(grant_dir(), 'keycert.pem')
    with open(keycert, 'w') as f:
        f.write(KEY + CERT)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(keycert)
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    client.load_verify_locations(cadata=CERT)
    return server, client


async def upper_echo(reader, writer):
    while line := await reader.readline():
        writer.write(line.upper())
        await writer.drain()
    writer.close()
    await writer.wait_closed()


def test_streams_over_tls_both_ends():
    server_ctx, client_ctx = contexts()

    async def main():
        server = await asyncio.start_server(upper_echo, '127.0.0.1', 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        async with server:
            reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=client_ctx,
                                                           server_hostname='localhost')
            version = writer.get_extra_info('ssl_object').version()
            subject = dict(x[0] for x in writer.get_extra_info('peercert')['subject'])
            got = []
            for word in (b'one', b'two', b'x' * 60_000):
                writer.write(word + b'\n')
                await writer.drain()
                got.append(len(await reader.readline()))
            writer.close()
            await writer.wait_closed()
        return version, subject['commonName'], got
    eq(asyncio.run(main()), ('TLSv1.3', 'localhost', [4, 4, 60_001]))


def test_start_tls_upgrades_a_plain_connection():
    server_ctx, client_ctx = contexts()

    async def handle(reader, writer):
        eq(await reader.readline(), b'STARTTLS\n')
        writer.write(b'go ahead\n')
        await writer.drain()
        await writer.start_tls(server_ctx)
        await upper_echo(reader, writer)

    async def main():
        server = await asyncio.start_server(handle, '127.0.0.1', 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            reader, writer = await asyncio.open_connection('127.0.0.1', port)
            writer.write(b'STARTTLS\n')
            eq(await reader.readline(), b'go ahead\n')
            plain = writer.get_extra_info('ssl_object')
            await writer.start_tls(client_ctx, server_hostname='localhost')
            writer.write(b'secret\n')
            line = await reader.readline()
            writer.close()
            await writer.wait_closed()
        return plain, writer.get_extra_info('ssl_object') is not None, line
    eq(asyncio.run(main()), (None, True, b'SECRET\n'))


def test_an_untrusted_certificate_fails_the_handshake_and_the_server_goes_on():
    server_ctx, client_ctx = contexts()

    async def main():
        server = await asyncio.start_server(upper_echo, '127.0.0.1', 0, ssl=server_ctx)
        port = server.sockets[0].getsockname()[1]
        async with server:
            # ssl=True: the default context and its trust store, which does not know this certificate
            with raises(ssl.SSLCertVerificationError):
                await asyncio.open_connection('127.0.0.1', port, ssl=True, server_hostname='localhost')
            # the name does not match the certificate
            with raises(ssl.SSLCertVerificationError):
                await asyncio.open_connection('127.0.0.1', port, ssl=client_ctx, server_hostname='example.com')
            reader, writer = await asyncio.open_connection('127.0.0.1', port, ssl=client_ctx,
                                                           server_hostname='localhost')
            writer.write(b'still here\n')
            line = await reader.readline()
            writer.close()
            await writer.wait_closed()
        return line
    eq(asyncio.run(main()), b'STILL HERE\n')


def test_tls_arguments_are_checked_as_cpython_checks_them():
    async def main():
        with raises(ValueError, match='server_hostname is only meaningful with ssl'):
            await asyncio.open_connection('127.0.0.1', 1, server_hostname='localhost')
        with raises(ValueError, match='ssl_handshake_timeout is only meaningful with ssl'):
            await asyncio.open_connection('127.0.0.1', 1, ssl_handshake_timeout=1)
        with raises(TypeError, match='ssl argument must be an SSLContext or None'):
            await asyncio.start_server(upper_echo, '127.0.0.1', 0, ssl=True)
    asyncio.run(main())


def test_the_default_context_and_ascii_host_names_need_no_grants():
    # create_default_context reads SSL_CERT_FILE and SSL_CERT_DIR, which are not granted
    # here: they count as unset, and the default trust store applies
    ctx = ssl.create_default_context()
    eq((ctx.verify_mode, ctx.check_hostname, ctx.cert_store_stats()['x509_ca'] > 0),
       (ssl.CERT_REQUIRED, True, True))
    with raises(PermissionError, match='env access to SSL_CERT_FILE denied'):
        os.environ['SSL_CERT_FILE']
    # the 'idna' codec takes ASCII names as they are, and says why it refuses others
    eq('Example.COM.'.encode('idna'), b'Example.COM.')
    eq(b'example.com'.decode('idna'), 'example.com')
    with raises(UnicodeError, match='not ASCII'):
        'bücher.example'.encode('idna')
    with raises(UnicodeError, match='label empty or too long'):
        'a..b'.encode('idna')
