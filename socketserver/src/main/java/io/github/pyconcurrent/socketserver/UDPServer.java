package io.github.pyconcurrent.socketserver;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A datagram server: Python's {@code socketserver.UDPServer}. Each datagram received (up to 8192
 * bytes, Python's {@code max_packet_size}) is a request: a {@link DatagramRequest} with the data
 * and the server's socket to reply through. A {@link java.net.UnixDomainSocketAddress} makes it
 * a Unix datagram server (see {@link UnixDatagramServer}).
 */
public class UDPServer extends TCPServer {

    public UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass) {
        this(serverAddress, requestHandlerClass, true);
    }

    public UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate) {
        this(serverAddress, requestHandlerClass, bindAndActivate, Dispatch.sync());
    }

    /** For the forms: a datagram server whose requests go to {@code dispatch}. */
    protected UDPServer(SocketAddress serverAddress, Class<? extends BaseRequestHandler<DatagramRequest>> requestHandlerClass,
            boolean bindAndActivate, Dispatch dispatch) {
        super(serverAddress, requestHandlerClass, bindAndActivate, dispatch, true);
    }

    @Override
    protected Incoming getRequest() throws IOException {
        return listener instanceof Listener.Datagram d ? d.receive() : ((Listener.UnixDatagram) listener).receive();
    }

    /** Nothing to shut: the socket is the server's. */
    @Override
    public void shutdownRequest(Object request) {
        closeRequest(request);
    }

    /** Nothing to close: the socket is the server's. */
    @Override
    public void closeRequest(Object request) {}
}
