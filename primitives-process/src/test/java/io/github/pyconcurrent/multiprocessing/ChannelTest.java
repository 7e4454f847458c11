package io.github.pyconcurrent.multiprocessing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control channel's opening: each side shows its secret, and a wrong one ends the connection. */
class ChannelTest {
    private static final long PID = 4242;
    /** A thread per side: the common pool may have one worker, and both sides block. */
    private static final java.util.concurrent.Executor THREAD_EACH = r -> Thread.ofPlatform().daemon().start(r);

    @TempDir
    Path dir;

    @Test
    void aChildWithItsSecretsIsAcceptedAndFramesFlowBothWays() throws Exception {
        Channel.Proofs proofs = Channel.Proofs.random();
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<Channel> parent = acceptAsync(server, pid -> pid == PID ? proofs : null);
            try (Channel child = Channel.connect(socket(), PID, proofs); Channel accepted = parent.get(10, TimeUnit.SECONDS)) {
                assertEquals(PID, accepted.peer());
                child.send(Channel.Frame.HELLO, PID);
                Channel.Frame hello = accepted.receive();
                assertEquals(Channel.Frame.HELLO, hello.type());
                assertEquals(PID, hello.id());
                accepted.send(Channel.Frame.RUN, 7, new byte[] {1, 2, 3});
                assertArrayEquals(new byte[] {1, 2, 3}, child.receive().payload());
            }
        }
    }

    @Test
    void aWrongChildSecretIsRefusedAndLearnsNothing() throws Exception {
        Channel.Proofs proofs = Channel.Proofs.random();
        Channel.Proofs forged = new Channel.Proofs(Channel.Proofs.random().child(), proofs.parent());
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<Channel> parent = acceptAsync(server, pid -> proofs);
            CompletableFuture<Channel> child = CompletableFuture.supplyAsync(() -> {
                try {
                    return Channel.connect(socket(), PID, forged);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, THREAD_EACH);
            Exception refused = assertThrows(Exception.class, () -> parent.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("failed authentication"), refused.getCause().getMessage());
            // The parent closed the connection without answering: the child never sees the parent's secret.
            Exception ended = assertThrows(Exception.class, () -> child.get(10, TimeUnit.SECONDS));
            assertTrue(ended.getCause() instanceof java.io.UncheckedIOException, String.valueOf(ended.getCause()));
        }
    }

    @Test
    void aPidThatNoChildOfOursHasIsRefused() throws Exception {
        Channel.Proofs proofs = Channel.Proofs.random();
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<Channel> parent = acceptAsync(server, pid -> null);
            CompletableFuture.runAsync(() -> {
                try (Channel ignored = Channel.connect(socket(), PID, proofs)) {
                    // refused below
                } catch (IOException expected) {
                    // the parent hung up
                }
            }, THREAD_EACH);
            Exception refused = assertThrows(Exception.class, () -> parent.get(10, TimeUnit.SECONDS));
            assertTrue(refused.getCause().getMessage().contains("claimed pid " + PID), refused.getCause().getMessage());
        }
    }

    @Test
    void aChildRefusesAnAnswerThatIsNotItsParents() throws Exception {
        Channel.Proofs proofs = Channel.Proofs.random();
        Channel.Proofs impostor = new Channel.Proofs(proofs.child(), Channel.Proofs.random().parent());
        try (ServerSocketChannel server = listen()) {
            CompletableFuture<Channel> parent = acceptAsync(server, pid -> impostor);
            IOException refused = assertThrows(IOException.class, () -> Channel.connect(socket(), PID, proofs));
            assertEquals("the parent's control socket failed authentication", refused.getMessage());
            parent.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void secretsTravelOnThePipeAsTheyWereMadeAndDifferPerChild() throws Exception {
        Channel.Proofs proofs = Channel.Proofs.random();
        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        proofs.writeTo(new DataOutputStream(pipe));
        assertEquals(2 * Channel.PROOF_BYTES, pipe.size());
        Channel.Proofs read = Channel.Proofs.readFrom(new DataInputStream(new ByteArrayInputStream(pipe.toByteArray())));
        assertArrayEquals(proofs.child(), read.child());
        assertArrayEquals(proofs.parent(), read.parent());
        assertFalse(Channel.sameBytes(proofs.child(), proofs.parent()));
        assertFalse(Channel.sameBytes(proofs.child(), Channel.Proofs.random().child()));
    }

    @Test
    void sameBytesComparesContentAndLength() {
        assertTrue(Channel.sameBytes(new byte[] {1, 2, 3}, new byte[] {1, 2, 3}));
        assertFalse(Channel.sameBytes(new byte[] {1, 2, 3}, new byte[] {1, 2, 4}));
        assertFalse(Channel.sameBytes(new byte[] {(byte) 0x80, 2, 3}, new byte[] {0, 2, 3}));
        assertFalse(Channel.sameBytes(new byte[] {1, 2}, new byte[] {1, 2, 3}));
        assertTrue(Channel.sameBytes(new byte[0], new byte[0]));
    }

    private Path socket() {
        return dir.resolve("ctl");
    }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket()));
        return server;
    }

    private static CompletableFuture<Channel> acceptAsync(ServerSocketChannel server, java.util.function.LongFunction<Channel.Proofs> proofsOf) {
        return CompletableFuture.supplyAsync(() -> {
            SocketChannel socket = null;
            try {
                socket = server.accept();
                return Channel.accept(socket, proofsOf);
            } catch (IOException e) {
                if (socket != null) {
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // failing already
                    }
                }
                throw new java.io.UncheckedIOException(e);
            }
        }, THREAD_EACH);
    }
}
