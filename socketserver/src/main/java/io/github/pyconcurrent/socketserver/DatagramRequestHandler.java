package io.github.pyconcurrent.socketserver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;

/**
 * A datagram handler that reads the datagram and writes its reply as streams: Python's
 * {@code socketserver.DatagramRequestHandler}. {@link #rfile} reads the datagram received;
 * what {@code handle()} writes to {@link #wfile} is sent back to the client, as one datagram,
 * after it returns (by {@link #finish()}; as in Python, even when nothing was written).
 */
public abstract class DatagramRequestHandler extends BaseRequestHandler<DatagramRequest> {
    /** The datagram's bytes. */
    protected LineReader rfile;
    /** The reply, sent by {@link #finish()}. */
    protected OutputStream wfile;
    private ByteArrayOutputStream reply;

    /**
     * For subclasses: the server calls their no-arg constructor, then {@link #setup()},
     * {@link #handle()} and {@link #finish()}.
     *
     */
    protected DatagramRequestHandler() {}

    @Override
    protected void setup() throws Exception {
        rfile = new LineReader(new ByteArrayInputStream(request.data()));
        reply = new ByteArrayOutputStream();
        wfile = reply;
    }

    @Override
    protected void finish() throws Exception {
        request.socket().sendto(reply.toByteArray(), clientAddress);
    }
}
