package io.github.pyconcurrent.socketserver;

/**
 * What a datagram server hands its handler as {@code request}: Python's {@code (data, socket)}
 * pair: the datagram received, and the server socket to answer through.
 */
public final class DatagramRequest {
    private final byte[] data;
    private final DatagramEndpoint socket;

    DatagramRequest(byte[] data, DatagramEndpoint socket) {
        this.data = data;
        this.socket = socket;
    }

    /**
     * The datagram's bytes (the array itself, not a copy).
     *
     * @return the bytes of the datagram received; changes to the array are seen by later readers
     */
    public byte[] data() {
        return data;
    }

    /**
     * The server's socket, to reply with {@link DatagramEndpoint#sendto}.
     *
     * @return the server socket the datagram came in on
     */
    public DatagramEndpoint socket() {
        return socket;
    }

    @Override
    public String toString() {
        return "DatagramRequest[" + data.length + " bytes via " + socket + "]";
    }
}
