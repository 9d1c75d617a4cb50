# Braid: asyncio's network I/O on Braid's reactor, for BraidEventLoop (aio.py): TCP
# connections and servers, TLS, UDP endpoints, name resolution and the sock_* methods
# (subprocesses are aio_proc.py's, on the helpers this returns as '_shared'). Evaluated on the
# first use of one of them, as an internal source; a function of `natives(name)` (the
# language-neutral natives of braid.net, which check every host and port against the
# session's permissions) and `latin1(buffer)` (how a host buffer's bytes cross, see
# PyApi.latin1).
#
# Each transport is a pair of Braid tasks on the session's strand: a reader that awaits the
# next chunk and hands it to the loop (loop.call_soon, then a wake-up), and a writer that
# sends the queued bytes in order. The protocol's callbacks therefore run as the loop's own
# callbacks, in order, as on CPython's loops; flow control is asyncio's (_FlowControlMixin,
# pause_reading). A Braid task that outlives its loop settles nothing.

def _aio_io(natives, latin1):
    import asyncio
    import errno
    import socket
    import sys
    from asyncio import base_events, protocols, transports

    import braid

    net = natives('net')

    def _bytes(buffer):
        return str(latin1(buffer)).encode('latin-1')

    def _later(loop, fn, *args):
        # From a Braid task, outside the loop's iterations: the loop runs fn next.
        if loop.is_closed():
            return False
        loop.call_soon(fn, *args)
        loop._write_to_self()
        return True

    def _oserror(e):
        # A refusal stays a PermissionError; an I/O failure of the host becomes an OSError
        # of the kind CPython raises for it.
        if isinstance(e, OSError) and type(e) is not OSError:
            return e
        text = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        for needle, kind, code in (('Connection refused', ConnectionRefusedError, errno.ECONNREFUSED),
                                   ('Connection reset', ConnectionResetError, errno.ECONNRESET),
                                   ('Broken pipe', BrokenPipeError, errno.EPIPE),
                                   ('Address already in use', OSError, errno.EADDRINUSE)):
            if needle in text:
                return kind(code, text)
        if 'unknown host' in text:
            return socket.gaierror(socket.EAI_NONAME, text)
        return e if isinstance(e, OSError) else OSError(text)

    class _Reader:
        """A Braid task reading chunks with `read()` (an awaitable of a host value, None at
        the end) and handing each to the loop as data(convert(chunk)); then eof(), or
        error(exc). By default a chunk is a host buffer, and data gets its bytes."""

        def __init__(self, loop, read, data, eof, error, convert=_bytes):
            self._loop = loop
            self._read = read
            self._data = data
            self._eof = eof
            self._error = error
            self._convert = convert
            self._paused = False
            self._gate = braid.channel()
            self._task = braid.spawn(self._run)

        async def _run(self):
            try:
                while True:
                    while self._paused:
                        await self._gate.recv()
                    chunk = await self._read()
                    if chunk is None:
                        _later(self._loop, self._eof)
                        return
                    if not _later(self._loop, self._data, self._convert(chunk)):
                        return
            except asyncio.CancelledError:
                return
            except Exception as e:
                _later(self._loop, self._error, _oserror(e))

        def pause(self):
            self._paused = True

        def resume(self):
            if self._paused:
                self._paused = False
                if len(self._gate) == 0:
                    self._gate.send(None)

        def stop(self):
            self._task.abort()

    class _Writer:
        """Sends queued bytes in order with `write(bytes)` (an awaitable), then `end()` once
        asked to; tells `wrote()` after each send and `error(exc)` of a failure."""

        def __init__(self, loop, write, end, wrote, error):
            self._loop = loop
            self._write = write
            self._end = end
            self._wrote = wrote
            self._error = error
            self._buffer = bytearray()
            self._sending = 0
            self._ending = False
            self._task = None

        def size(self):
            return len(self._buffer) + self._sending

        def push(self, data):
            self._buffer += data
            self._start()

        def end(self):
            self._ending = True
            self._start()

        def discard(self):
            self._buffer.clear()
            if self._task is not None:
                self._task.abort()
                self._task = None
            self._sending = 0

        def _start(self):
            if self._task is None:
                self._task = braid.spawn(self._run)

        async def _run(self):
            try:
                wrote = bool(self._buffer)
                while self._buffer:
                    data = bytes(self._buffer)
                    self._buffer.clear()
                    self._sending = len(data)
                    await self._write(data)
                    self._sending = 0
                if self._ending:
                    await self._end()
                self._task = None
                if wrote:
                    _later(self._loop, self._wrote)
            except asyncio.CancelledError:
                return
            except Exception as e:
                self._task = None
                _later(self._loop, self._error, _oserror(e))

    class _Endpoint(transports._FlowControlMixin):
        """What the TCP and UDP transports share: their protocol, closing, and a single
        connection_lost, after which _release() gives back what the transport holds."""

        def __init__(self, extra, loop, protocol):
            super().__init__(extra, loop)
            self._protocol = protocol
            self._closing = False
            self._lost = False

        def is_closing(self):
            return self._closing

        def set_protocol(self, protocol):
            self._protocol = protocol

        def get_protocol(self):
            return self._protocol

        def _connection_lost(self, exc):
            if self._lost:
                return
            self._lost = True
            try:
                self._protocol.connection_lost(exc)
            finally:
                self._release()

        def _release(self):
            raise NotImplementedError

    # ---- TCP ----------------------------------------------------------------------------

    class _SocketTransport(_Endpoint, transports.Transport):
        """A TCP connection on Braid's reactor."""

        def __init__(self, loop, protocol, conn, server=None):
            local_host, local_port, peer_host, peer_port = list(net.addresses(conn))
            super().__init__({'peername': (str(peer_host), int(peer_port)),
                              'sockname': (str(local_host), int(local_port)),
                              'socket': None}, loop, protocol)
            self._conn = conn
            self._server = server
            self._eof = False
            self._reader = None
            self._writer = _Writer(loop, self._send, lambda: net.closeWrite(conn), self._wrote, self._fatal_error)
            if server is not None:
                server._attach()

        def _send(self, data):
            return net.writeBytes(self._conn, data, 0, len(data))

        def _start(self, waiter=None):
            if not self._closing:
                self._reader = _Reader(self._loop, lambda: net.read(self._conn), self._data_received,
                                       self._eof_received, self._fatal_error)
            if waiter is not None and not waiter.cancelled():
                waiter.set_result(None)

        def __repr__(self):
            state = 'closing' if self._closing else 'open'
            return '<braid TCP transport %s peer=%r>' % (state, self._extra['peername'])

        def _data_received(self, data):
            if self._lost:
                return
            try:
                if isinstance(self._protocol, protocols.BufferedProtocol):
                    protocols._feed_data_to_buffered_proto(self._protocol, data)
                else:
                    self._protocol.data_received(data)
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as e:
                self._fatal_error(e, 'Fatal error: protocol.data_received() call failed.')

        def _eof_received(self):
            if self._lost:
                return
            try:
                keep_open = self._protocol.eof_received()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as e:
                self._fatal_error(e, 'Fatal error: protocol.eof_received() call failed.')
                return
            if not keep_open:
                self.close()

        def _wrote(self):
            self._maybe_resume_protocol()
            if self._closing and self._writer.size() == 0:
                self._connection_lost(None)

        def _fatal_error(self, exc, message='Fatal error on transport'):
            if not isinstance(exc, OSError):
                self._loop.call_exception_handler({'message': message, 'exception': exc, 'transport': self,
                                                   'protocol': self._protocol})
            self._force_close(exc)

        def _force_close(self, exc):
            if self._lost:
                return
            self._writer.discard()
            self._closing = True
            if self._reader is not None:
                self._reader.stop()
            self._loop.call_soon(self._connection_lost, exc)

        def _connection_lost(self, exc):
            if not self._lost and self._reader is not None:
                self._reader.stop()
            super()._connection_lost(exc)

        def _release(self):
            net.close(self._conn)
            server, self._server = self._server, None
            if server is not None:
                server._detach()

        def write(self, data):
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError('data argument must be a bytes-like object, not %r' % type(data).__name__)
            if self._eof:
                raise RuntimeError('Cannot call write() after write_eof()')
            if not data or self._closing:
                return
            self._writer.push(data)
            self._maybe_pause_protocol()

        def write_eof(self):
            if self._closing or self._eof:
                return
            self._eof = True
            self._writer.end()

        def can_write_eof(self):
            return True

        def get_write_buffer_size(self):
            return self._writer.size()

        def close(self):
            if self._closing:
                return
            self._closing = True
            if self._reader is not None:
                self._reader.stop()
            if self._writer.size() == 0:
                self._loop.call_soon(self._connection_lost, None)

        def abort(self):
            self._force_close(None)

        def is_reading(self):
            return self._reader is not None and not self._reader._paused and not self._closing

        def pause_reading(self):
            if self._reader is not None:
                self._reader.pause()

        def resume_reading(self):
            if self._reader is not None:
                self._reader.resume()

        _start_tls_compatible = True  # loop.start_tls may wrap it

    async def _made(loop, protocol, transport):
        # As asyncio's loops: connection_made runs as the loop's next callback, then the
        # transport starts and the caller gets it
        waiter = loop.create_future()
        loop.call_soon(protocol.connection_made, transport)
        loop.call_soon(transport._start, waiter)
        try:
            await waiter
        except BaseException:
            transport.close()
            raise
        return transport

    def _no_real_sockets(what, **given):
        for name, value in given.items():
            if value:
                raise ValueError("%s: %s= is not supported on Braid's event loop (it has no file-descriptor "
                                 "sockets; give host and port)" % (what, name))

    # ---- TLS ----------------------------------------------------------------------------
    # asyncio's own SSLProtocol (memory BIOs of the ssl module) between the TCP transport and
    # the application's protocol, as CPython's loops do it: the application gets the
    # SSLProtocol's transport once the handshake is done.

    def _tls_checks(ssl, server_hostname, ssl_handshake_timeout, ssl_shutdown_timeout, server_side=False):
        if not ssl:
            if server_hostname is not None:
                raise ValueError('server_hostname is only meaningful with ssl')
            if ssl_handshake_timeout is not None:
                raise ValueError('ssl_handshake_timeout is only meaningful with ssl')
            if ssl_shutdown_timeout is not None:
                raise ValueError('ssl_shutdown_timeout is only meaningful with ssl')
            return None
        import ssl as ssl_module
        if server_side and not isinstance(ssl, ssl_module.SSLContext):
            raise TypeError('ssl argument must be an SSLContext or None')
        return ssl

    def _tls(loop, protocol, ssl, server_side, server_hostname, handshake_timeout, shutdown_timeout):
        """The SSLProtocol wrapping `protocol`, and the future its handshake settles."""
        from asyncio import sslproto
        waiter = loop.create_future()
        if not hasattr(ssl, 'wrap_bio'):  # ssl=True: the default context
            ssl = sslproto._create_transport_context(server_side, server_hostname)
        tls = sslproto.SSLProtocol(loop, protocol, ssl, waiter, server_side, server_hostname,
                                   ssl_handshake_timeout=handshake_timeout, ssl_shutdown_timeout=shutdown_timeout)
        return tls, waiter

    async def create_connection(loop, protocol_factory, host=None, port=None, *, ssl=None, family=0, proto=0,
                                flags=0, sock=None, local_addr=None, server_hostname=None,
                                ssl_handshake_timeout=None, ssl_shutdown_timeout=None,
                                happy_eyeballs_delay=None, interleave=None, all_errors=False):
        if ssl and server_hostname is None:
            if not host:
                raise ValueError('You must set server_hostname when using ssl without a host')
            server_hostname = host
        ssl = _tls_checks(ssl, server_hostname, ssl_handshake_timeout, ssl_shutdown_timeout)
        _no_real_sockets('create_connection', sock=sock, local_addr=local_addr)
        if host is None or port is None:
            raise ValueError('host and port was not specified and no sock specified')
        try:
            conn = await loop._braid(net.connect(str(host), int(port)))
        except PermissionError:
            raise
        except (Exception,) as e:
            raise _oserror(e) from None
        protocol = protocol_factory()
        if not ssl:
            return await _made(loop, protocol, _SocketTransport(loop, protocol, conn)), protocol
        tls, handshake = _tls(loop, protocol, ssl, False, server_hostname, ssl_handshake_timeout,
                              ssl_shutdown_timeout)
        transport = _SocketTransport(loop, tls, conn)
        loop.call_soon(tls.connection_made, transport)
        loop.call_soon(transport._start)
        try:
            await handshake
        except BaseException:
            transport.close()
            raise
        return tls._app_transport, protocol

    class _Listening:
        """What asyncio's Server takes for a listening socket: a Braid listener."""

        family = socket.AF_INET
        type = socket.SOCK_STREAM
        proto = 6

        def __init__(self, listener, host):
            self._l = listener
            self._host = host
            self._accepting = None
            if ':' in host:
                self.family = socket.AF_INET6

        def getsockname(self):
            addr = list(net.listenerAddress(self._l))
            return (str(addr[0]), int(addr[1]))

        def getpeername(self):
            raise OSError(errno.ENOTCONN, 'a listening socket has no peer')

        def fileno(self):
            return -1

        def listen(self, backlog=None):
            pass

        def close(self):
            net.closeListener(self._l)

        def __repr__(self):
            return '<braid listener %s:%d>' % self.getsockname()

    async def create_server(loop, protocol_factory, host=None, port=None, *, family=socket.AF_UNSPEC,
                            flags=socket.AI_PASSIVE, sock=None, backlog=100, ssl=None, reuse_address=None,
                            reuse_port=None, keep_alive=None, ssl_handshake_timeout=None, ssl_shutdown_timeout=None,
                            start_serving=True):
        ssl = _tls_checks(ssl, None, ssl_handshake_timeout, ssl_shutdown_timeout, server_side=True)
        _no_real_sockets('create_server', sock=sock, reuse_port=reuse_port)
        if host is None or host == '':
            hosts = ['0.0.0.0']  # every interface, as CPython binds for host=None
        elif isinstance(host, str):
            hosts = [host]
        else:
            hosts = [str(h) for h in host]
        listeners = []
        try:
            for h in hosts:
                try:
                    listeners.append(_Listening(net.listen(h, 0 if port is None else int(port)), h))
                except PermissionError:
                    raise
                except Exception as e:
                    raise _oserror(e) from None
        except BaseException:
            for l in listeners:
                l.close()
            raise
        server = base_events.Server(loop, listeners, protocol_factory, ssl, backlog, ssl_handshake_timeout,
                                    ssl_shutdown_timeout)
        if start_serving:
            server._start_serving()
            await asyncio.sleep(0)
        return server

    def start_serving(loop, protocol_factory, listening, server):
        async def accept():
            try:
                while True:
                    conn = await net.accept(listening._l)
                    if conn is None or loop.is_closed():
                        return
                    _later(loop, connected, conn)
            except asyncio.CancelledError:
                return
            except Exception as e:
                if not loop.is_closed():
                    loop.call_soon_threadsafe(loop.call_exception_handler, {
                        'message': 'accepting a connection failed', 'exception': _oserror(e), 'socket': listening})

        def connected(conn):
            if server._sockets is None:  # closed meanwhile
                net.close(conn)
                return
            try:
                protocol = protocol_factory()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as e:
                net.close(conn)
                loop.call_exception_handler({'message': 'protocol_factory() failed', 'exception': e,
                                             'socket': listening})
                return
            if server._ssl_context is None:
                transport = _SocketTransport(loop, protocol, conn, server)
                loop.call_soon(protocol.connection_made, transport)
                loop.call_soon(transport._start)
                return
            tls, handshake = _tls(loop, protocol, server._ssl_context, True, None, server._ssl_handshake_timeout,
                                  server._ssl_shutdown_timeout)
            transport = _SocketTransport(loop, tls, conn, server)
            loop.call_soon(tls.connection_made, transport)
            loop.call_soon(transport._start)
            loop.create_task(handshaken(transport, handshake))

        async def handshaken(transport, handshake):
            # As CPython's loops: a failed handshake closes the connection, the server goes
            # on, and only debug mode reports it
            try:
                await handshake
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as e:
                transport.close()
                if loop.get_debug():
                    loop.call_exception_handler({'message': 'Error on transport creation for incoming connection',
                                                 'exception': e, 'transport': transport})

        listening._accepting = braid.spawn(accept)

    def stop_serving(loop, listening):
        if not isinstance(listening, _Listening):  # a socket of Python's own, as selector loops take it
            listening.close()
            return
        if listening._accepting is not None:
            listening._accepting.abort()
            listening._accepting = None
        listening.close()

    # ---- Python's own sockets (sock_*) --------------------------------------------------
    # Python's sockets are GraalPy's (Java channels it does not expose), so they are not on
    # Braid's reactor. An operation that would block waits for readiness with select() on
    # Braid's blocking pool, 100 ms at a time, and is tried again on the strand; a connect
    # runs on the pool, since GraalPy's may block. A socket closed while such a wait is on
    # (a cancelled sock_accept) closes when the wait's select ends: Java closes a channel
    # registered with a selector once it is deregistered. The socket module needs unscoped
    # network access (--allow-net).

    def _nonblocking(sock, what):
        if sock.gettimeout() != 0:
            # a blocking call would hold one of the runtime's workers
            raise ValueError('%s: the socket must be non-blocking' % what)
        ssl = sys.modules.get('ssl')
        if ssl is not None and isinstance(sock, ssl.SSLSocket):
            raise TypeError('Socket cannot be of type SSLSocket')

    def _ready(sock, write):
        import select
        r, w, _ = select.select([] if write else [sock], [sock] if write else [], [], 0.1)
        return bool(r or w)

    async def _retry(loop, sock, what, write, op, *args):
        _nonblocking(sock, what)
        while True:
            try:
                return op(*args)
            except (BlockingIOError, InterruptedError):
                pass
            while not await loop.run_in_executor(None, _ready, sock, write):
                pass

    async def sock_recv(loop, sock, n):
        return await _retry(loop, sock, 'sock_recv', False, sock.recv, n)

    async def sock_recv_into(loop, sock, buf):
        return await _retry(loop, sock, 'sock_recv_into', False, sock.recv_into, buf)

    async def sock_recvfrom(loop, sock, bufsize):
        return await _retry(loop, sock, 'sock_recvfrom', False, sock.recvfrom, bufsize)

    async def sock_recvfrom_into(loop, sock, buf, nbytes=0):
        return await _retry(loop, sock, 'sock_recvfrom_into', False, sock.recvfrom_into, buf, nbytes or len(buf))

    async def sock_sendall(loop, sock, data):
        view = memoryview(data).cast('B')
        while True:
            n = await _retry(loop, sock, 'sock_sendall', True, sock.send, view)
            view = view[n:]
            if not view:
                return None

    async def sock_sendto(loop, sock, data, address):
        return await _retry(loop, sock, 'sock_sendto', True, sock.sendto, data, address)

    async def sock_accept(loop, sock):
        conn, address = await _retry(loop, sock, 'sock_accept', False, sock.accept)
        conn.setblocking(False)
        return conn, address

    async def sock_connect(loop, sock, address):
        _nonblocking(sock, 'sock_connect')
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            resolved = await loop._ensure_resolved(address, family=sock.family, type=sock.type, proto=sock.proto,
                                                   loop=loop)
            address = resolved[0][4]

        def connect():
            try:
                sock.connect(address)
            except (BlockingIOError, InterruptedError):
                while not _ready(sock, True):
                    pass
                try:
                    sock.connect(address)  # what the attempt came to: EISCONN when it connected
                except OSError as e:
                    if e.errno != errno.EISCONN:
                        raise
        return await loop.run_in_executor(None, connect)

    # ---- name resolution ----------------------------------------------------------------

    async def getaddrinfo(loop, host, port, family=0, type=0, proto=0, flags=0):
        if isinstance(host, bytes):
            host = host.decode('idna')
        if host is None:
            hosts = ['127.0.0.1'] if not flags & socket.AI_PASSIVE else ['0.0.0.0']
        else:
            try:
                hosts = [str(a) for a in await loop._braid(net.resolve(str(host)))]
            except PermissionError:
                raise
            except Exception as e:
                raise socket.gaierror(socket.EAI_NONAME, '[Errno -2] Name or service not known: %s (%s)' % (host, e)) from None
        if isinstance(port, (bytes, str)):
            try:
                port = int(port)
            except ValueError:
                raise socket.gaierror(socket.EAI_SERVICE, 'Servname not supported for ai_socktype: %r' % (port,)) from None
        port = 0 if port is None else int(port)
        out = []
        for a in hosts:
            fam = socket.AF_INET6 if ':' in a else socket.AF_INET
            if family not in (0, socket.AF_UNSPEC) and family != fam:
                continue
            addr = (a, port, 0, 0) if fam == socket.AF_INET6 else (a, port)
            for t, p in ((socket.SOCK_STREAM, 6), (socket.SOCK_DGRAM, 17)):
                if type and type != t or proto and proto != p:
                    continue
                out.append((fam, t, p, '', addr))
        if not out:
            raise socket.gaierror(socket.EAI_FAMILY, 'no address of the family asked for: %s' % host)
        return out

    # ---- UDP ----------------------------------------------------------------------------

    class _DatagramTransport(_Endpoint, transports.DatagramTransport):
        """A UDP socket on Braid's reactor."""

        def __init__(self, loop, protocol, u):
            local_host, local_port, peer_host, peer_port = list(net.udpAddresses(u))
            peer = None if peer_host is None else (str(peer_host), int(peer_port))
            super().__init__({'sockname': (str(local_host), int(local_port)), 'peername': peer, 'socket': None},
                             loop, protocol)
            self._u = u
            self._peer = peer
            self._queue = []
            self._size = 0
            self._sending = None
            self._receiving = None

        def _start(self, waiter):
            self._receiving = _Reader(self._loop, lambda: net.udpRecv(self._u, 65536), self._datagram,
                                      lambda: None, self._error,
                                      lambda got: (_bytes(got[0]), (str(got[1]), int(got[2]))))
            if not waiter.cancelled():
                waiter.set_result(None)

        def _datagram(self, datagram):
            if not self._lost:
                self._protocol.datagram_received(*datagram)

        def _error(self, exc):
            if not self._lost:
                self._protocol.error_received(exc)

        def sendto(self, data, addr=None):
            if not isinstance(data, (bytes, bytearray, memoryview)):
                raise TypeError('data argument must be a bytes-like object, not %r' % type(data).__name__)
            if self._peer is not None:
                if addr not in (None, self._peer):
                    raise ValueError('Invalid address: must be None or %s' % (self._peer,))
                addr = None
            elif addr is None:
                raise ValueError('Invalid address: must be given (the endpoint has no remote_addr)')
            if self._closing:
                return
            self._queue.append((bytes(data), addr))
            self._size += len(data)
            self._maybe_pause_protocol()
            if self._sending is None:
                self._sending = braid.spawn(self._send)

        async def _send(self):
            try:
                while self._queue:
                    data, addr = self._queue.pop(0)
                    try:
                        if addr is None:
                            await net.udpSend(self._u, data, 0, len(data))
                        else:
                            await net.udpSendTo(self._u, data, 0, len(data), str(addr[0]), int(addr[1]))
                    except PermissionError as e:
                        _later(self._loop, self._error, e)
                    except Exception as e:
                        _later(self._loop, self._error, _oserror(e))
                    self._size -= len(data)
                    _later(self._loop, self._maybe_resume_protocol)
            except asyncio.CancelledError:
                return
            finally:
                self._sending = None
            if self._closing:
                _later(self._loop, self._connection_lost, None)

        def get_write_buffer_size(self):
            return self._size

        def close(self):
            if self._closing:
                return
            self._closing = True
            if self._receiving is not None:
                self._receiving.stop()
            if self._sending is None:
                self._loop.call_soon(self._connection_lost, None)

        def abort(self):
            self._queue.clear()
            if self._sending is not None:
                self._sending.abort()
                self._sending = None
            self._closing = False
            self.close()

        def _release(self):
            net.udpClose(self._u)

    async def create_datagram_endpoint(loop, protocol_factory, local_addr=None, remote_addr=None, *, family=0,
                                       proto=0, flags=0, reuse_port=None, allow_broadcast=None, sock=None):
        _no_real_sockets('create_datagram_endpoint', sock=sock, reuse_port=reuse_port, allow_broadcast=allow_broadcast)
        if isinstance(local_addr, str) or isinstance(remote_addr, str):
            raise ValueError("Braid's event loop has no Unix datagram sockets: give (host, port) addresses")
        if local_addr is None and remote_addr is None and family not in (socket.AF_INET, socket.AF_INET6):
            raise ValueError('unexpected address family')
        try:
            if local_addr is None:  # any free local port (the peers are what the grants name)
                v6 = family == socket.AF_INET6 or (remote_addr is not None and ':' in str(remote_addr[0]))
                u = net.udpBind(None, v6)
            else:
                u = net.udpBind(str(local_addr[0]), int(local_addr[1]))
            if remote_addr is not None:
                net.udpConnect(u, str(remote_addr[0]), int(remote_addr[1]))
        except PermissionError:
            raise
        except Exception as e:
            raise _oserror(e) from None
        protocol = protocol_factory()
        return await _made(loop, protocol, _DatagramTransport(loop, protocol, u)), protocol

    return {'create_connection': create_connection, 'create_server': create_server, 'start_serving': start_serving,
            'stop_serving': stop_serving, 'getaddrinfo': getaddrinfo,
            'create_datagram_endpoint': create_datagram_endpoint,
            'sock_recv': sock_recv, 'sock_recv_into': sock_recv_into, 'sock_recvfrom': sock_recvfrom,
            'sock_recvfrom_into': sock_recvfrom_into, 'sock_sendall': sock_sendall, 'sock_sendto': sock_sendto,
            'sock_accept': sock_accept, 'sock_connect': sock_connect,
            # for aio_proc.py
            '_shared': (_later, _oserror, _Reader, _Writer, _made)}

_aio_io
