package io.github.pyconcurrent.socketserver;

import io.github.pyconcurrent.gevent.Hub;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.function.BiFunction;

/** Every server class of the package, with how to make one and what its clients speak. */
enum Kind {
    TCP(Transport.TCP, (a, h) -> new TCPServer(a, h.stream())),
    THREADING_TCP(Transport.TCP, (a, h) -> new ThreadingTCPServer(a, h.stream())),
    VIRTUAL_THREADING_TCP(Transport.TCP, (a, h) -> new VirtualThreadingTCPServer(a, h.stream())),
    FORKING_TCP(Transport.TCP, (a, h) -> new ForkingTCPServer(a, h.stream())),
    GREENLET_TCP(Transport.TCP, (a, h) -> new GreenletTCPServer(a, h.stream())),
    UDP(Transport.UDP, (a, h) -> new UDPServer(a, h.datagram())),
    THREADING_UDP(Transport.UDP, (a, h) -> new ThreadingUDPServer(a, h.datagram())),
    FORKING_UDP(Transport.UDP, (a, h) -> new ForkingUDPServer(a, h.datagram())),
    UNIX_STREAM(Transport.UNIX_STREAM, (a, h) -> new UnixStreamServer(a, h.stream())),
    THREADING_UNIX_STREAM(Transport.UNIX_STREAM, (a, h) -> new ThreadingUnixStreamServer(a, h.stream())),
    FORKING_UNIX_STREAM(Transport.UNIX_STREAM, (a, h) -> new ForkingUnixStreamServer(a, h.stream())),
    UNIX_DATAGRAM(Transport.UNIX_DATAGRAM, (a, h) -> new UnixDatagramServer(a, h.datagram())),
    THREADING_UNIX_DATAGRAM(Transport.UNIX_DATAGRAM, (a, h) -> new ThreadingUnixDatagramServer(a, h.datagram())),
    FORKING_UNIX_DATAGRAM(Transport.UNIX_DATAGRAM, (a, h) -> new ForkingUnixDatagramServer(a, h.datagram())),
    PREFORKING_TCP(Transport.TCP, (a, h) -> new PreforkingTCPServer(a, h.stream(), Kind.PREFORK_WORKERS)),
    PREFORKING_UNIX_STREAM(Transport.UNIX_STREAM, (a, h) -> new PreforkingUnixStreamServer(a, h.stream(), Kind.PREFORK_WORKERS));

    /** Worker JVMs of the preforking forms in the tests. */
    static final int PREFORK_WORKERS = 2;

    enum Transport { TCP, UDP, UNIX_STREAM, UNIX_DATAGRAM }

    /** A stream handler and a datagram handler; the server takes the one it serves with. */
    record Handlers(Class<? extends BaseRequestHandler<StreamSocket>> stream,
            Class<? extends BaseRequestHandler<DatagramRequest>> datagram) {}

    final Transport transport;
    private final BiFunction<SocketAddress, Handlers, BaseServer> make;

    Kind(Transport transport, BiFunction<SocketAddress, Handlers, BaseServer> make) {
        this.transport = transport;
        this.make = make;
    }

    boolean stream() {
        return transport == Transport.TCP || transport == Transport.UNIX_STREAM;
    }

    boolean unix() {
        return transport == Transport.UNIX_STREAM || transport == Transport.UNIX_DATAGRAM;
    }

    boolean forking() {
        return name().startsWith("FORKING");
    }

    boolean preforking() {
        return name().startsWith("PREFORKING");
    }

    BaseServer make(Path dir, Handlers handlers) {
        SocketAddress address = unix() ? UnixDomainSocketAddress.of(dir.resolve("server.sock"))
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        return make.apply(address, handlers);
    }

    /** Runs serveForever on a new thread (a greenlet server's thread destroys its hub at the end). */
    Thread serve(BaseServer server) {
        Thread t = new Thread(() -> {
            try {
                server.serveForever();
            } finally {
                if (this == GREENLET_TCP) {
                    Hub.get().destroy();
                }
            }
        }, "serve-" + name());
        t.start();
        return t;
    }
}
