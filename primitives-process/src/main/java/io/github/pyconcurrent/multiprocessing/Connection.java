package io.github.pyconcurrent.multiprocessing;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}. It sends and
 * receives whole messages: {@link #send(Object)} / {@link #recv()} carry any
 * {@link java.io.Serializable} object (through {@code Serial}, the module's one filtered codec),
 * {@link #sendBytes(byte[])} / {@link #recvBytes()} raw byte messages; both kinds share one stream
 * of messages, so, as in Python, {@code recvBytes} of a {@code send} returns the serialized bytes.
 *
 * <pre>{@code
 * Pipe pipe = Pipe.open();
 * Connection parentEnd = pipe.left(), childEnd = pipe.right();
 * Process p = new Process(() -> { childEnd.send("hello"); childEnd.close(); });
 * p.start();
 * childEnd.close();                       // the parent will not use the child's end
 * System.out.println(parentEnd.recv());   // "hello"
 * parentEnd.recv();                       // UncheckedIOException(EOFException): every holder closed
 * }</pre>
 *
 * <p>End of stream, as in Python: an end stays open while any process that holds it has not
 * closed it. Each JVM holding an end (its creator, and every JVM where a serialized copy arrived)
 * is registered in the end's holder table in shared memory; {@code close()}, the JVM's exit, or the
 * handle becoming garbage there unregisters it, and a process that died (even by SIGKILL; a zombie
 * or a reused pid counts as dead, see {@code ProcessIdentity}) is dropped by the next reader that
 * checks, about every 100 ms while it waits ({@code pyconcurrent.shared.ownerCheckMillis}). When the
 * other end has no holder left, {@link #recv()} and {@link #recvBytes()} first return every message
 * already sent, then throw {@link UncheckedIOException} with an {@link EOFException} cause. A send
 * that waits for room while the receiving end has no holder left throws {@link UncheckedIOException}
 * ("broken pipe", Python's BrokenPipeError).
 *
 * <p>A handle on its way to another process is counted too: serializing an end records it, and
 * the copy's arrival ticks it off, so a parent that starts a child with an end and closes its own
 * copy at once does not make the reader see end of stream before the child attached. A serialized
 * copy that never arrives (the child was never started, or died before deserializing) stops
 * counting {@code pyconcurrent.pipe.handoffMillis} (60 s: a child JVM can take seconds to start on a
 * loaded machine) after the latest serialization.
 *
 * <p>Messages of any size travel: one larger than a quarter of the direction's ring (1 MiB by
 * default, {@code pyconcurrent.pipe.ringBytes}) is streamed through it in pieces while the
 * receiver reads (see {@link Ring}). A send to an end whose every receiving holder has closed it
 * throws {@link BrokenPipeError} at once, as Python's does; one whose holders all died, within
 * {@code pyconcurrent.shared.ownerCheckMillis} (100 ms; a message sent meanwhile is lost with
 * them, as unread data is in Python). Deliberate differences: more than 56
 * processes holding one end at once are counted, but those beyond 56 are never detected dead; the
 * no-wait {@link #poll()} notices an end closed by every holder at once, but one whose holders died
 * only through the waiting forms. Using a closed connection throws {@link IllegalStateException}
 * (Python's OSError "handle is closed"); {@code recv} on a send-only end, or {@code send} on a
 * receive-only one, throws it too.
 *
 * <p>Each direction is a ring of bytes in {@code /dev/shm} with the robustness of {@link Queue}: a
 * process killed mid-send leaves no torn message, one killed mid-receive leaves the message to the
 * next receiver. Several processes may send (or receive) on one end at once; messages stay whole.
 *
 * <p>Memory consistency: actions before a {@code send} happen-before actions after the
 * {@code recv} that returns its message, in any process.
 *
 * <p>{@link Serializable} as a handle: deserialized in another JVM it is the same end, and that JVM
 * becomes one of its holders; within one JVM every open copy of an end is one object. If someone
 * else deletes a ring's file from {@code /dev/shm}, the processes already attached keep using the
 * pipe, but serializing an end for another process throws {@link IllegalStateException} naming the
 * file (nobody could attach to it).
 */
public final class Connection implements Serializable, AutoCloseable {
    @java.io.Serial
    private static final long serialVersionUID = 1L;

    /** The open ends of this JVM by key, so every copy of a handle is one object. */
    private static final ConcurrentHashMap<String, WeakReference<Connection>> LOCAL = new ConcurrentHashMap<>();

    /** The ring this end receives from, or null (send-only). */
    private final transient Ring in;
    /** The ring this end sends into, or null (receive-only). */
    private final transient Ring out;
    private final transient Attachment attachment;
    private transient volatile boolean closed;
    /** When {@link #anyReader()} last asked whether the readers live ({@link System#nanoTime()}). */
    private transient long lastLivenessCheck = System.nanoTime();

    /** Takes over one reference of each ring (null for a missing direction) and registers this JVM as a holder. */
    Connection(Ring in, Ring out) {
        this.in = in;
        this.out = out;
        List<Ring> rings = new ArrayList<>(2);
        List<Integer> tables = new ArrayList<>(2);
        if (in != null) {
            rings.add(in);
            tables.add(Ring.READERS);
        }
        if (out != null) {
            rings.add(out);
            tables.add(Ring.WRITERS);
        }
        this.attachment = new Attachment(this, rings.toArray(Ring[]::new), tables.stream().mapToInt(Integer::intValue).toArray());
        LOCAL.put(key(name(in), name(out)), new WeakReference<>(this));
    }

    /**
     * Sends {@code message} (any Serializable object), waiting while the ring has no room.
     *
     * @param message the object to send; it must be serializable (shared objects travel as handles
     *     to the same state)
     * @throws IllegalStateException if this end is closed or cannot send
     * @throws BrokenPipeError if every holder of the receiving end has closed it or died
     */
    public void send(Object message) {
        checkWritable();
        sendBytes(Serial.toBytes(message));
    }

    /**
     * Receives the next message sent with {@link #send(Object)}, waiting for one.
     *
     * @return the next message, deserialized in this JVM
     * @throws IllegalStateException if this end is closed or cannot receive, or the message's class
     *     is not on this JVM's class path
     * @throws java.io.UncheckedIOException with an {@link java.io.EOFException} cause when every
     *     holder of the other end has closed it or died and nothing is left to read (Python's
     *     {@code EOFError})
     */
    public Object recv() {
        return Serial.read(recvBytes());
    }

    /**
     * As {@link #recv()}, cast to the caller's type.
     *
     * @param <T> the type the caller expects
     * @param type the class of that type
     * @return the next message, as a {@code T}
     * @throws ClassCastException if the message is not a {@code T}
     * @throws java.io.UncheckedIOException at end of stream, as {@link #recv()}
     */
    @SuppressWarnings("unchecked")
    public <T> T recvAs(Class<T> type) {
        return type.cast(recv());
    }

    /**
     * Sends the bytes as one message.
     *
     * @param bytes the message; the receiver gets exactly these bytes from {@link #recvBytes()}
     * @throws IllegalStateException if this end is closed or cannot send
     * @throws BrokenPipeError if every holder of the receiving end has closed it or died
     */
    public void sendBytes(byte[] bytes) {
        checkWritable();
        if (!anyReader() || out.put(bytes, 0, -1, Ring.READERS) == Ring.PEER_GONE) {
            throw new BrokenPipeError("broken pipe: every process holding the receiving end of " + out.name()
                    + " closed it or died; the message of " + bytes.length + " bytes cannot be delivered");
        }
    }

    /**
     * Whether some process still holds the receiving end of {@link #out}: a closed end is seen at
     * once, a dead holder within {@code pyconcurrent.shared.ownerCheckMillis} (asking the kernel
     * whether a pid lives costs more than a send, so it is asked that often at most).
     */
    private boolean anyReader() {
        long now = System.nanoTime();
        boolean checkLiveness = now - lastLivenessCheck >= QueueTuning.CHECK_NANOS;
        if (checkLiveness) {
            lastLivenessCheck = now;
        }
        return out.anyHolder(Ring.READERS, checkLiveness, 0);
    }

    /**
     * Receives the next message's bytes, waiting for one.
     *
     * @return the next message's bytes
     * @throws IllegalStateException if this end is closed or cannot receive
     * @throws java.io.UncheckedIOException with an {@link java.io.EOFException} cause at end of
     *     stream (Python's {@code EOFError})
     */
    public byte[] recvBytes() {
        checkReadable();
        try {
            return in.take(-1, Ring.WRITERS);
        } catch (Ring.PeerGone e) {
            throw new UncheckedIOException(new EOFException("end of stream: every process holding the other end closed it or died"));
        }
    }

    /**
     * Whether a message can be received now without waiting (true at end of stream too, as Python).
     *
     * @return true if {@link #recv()} would not wait now (a message, or end of stream)
     * @throws IllegalStateException if this end is closed or cannot receive
     */
    public boolean poll() {
        checkReadable();
        return in.awaitData(0, Ring.WRITERS) != Ring.TIMED_OUT;
    }

    /**
     * Waits at most {@code timeout} (null: forever; negative: not at all) until a message can be
     * received, or end of stream; returns whether one of them happened.
     *
     * @param timeout how long to wait; null waits forever, zero or negative not at all
     * @return true if a message or end of stream came in time, false if the timeout elapsed
     * @throws IllegalStateException if this end is closed or cannot receive
     */
    public boolean poll(Duration timeout) {
        checkReadable();
        return in.awaitData(Queue.nanos(timeout), Ring.WRITERS) != Ring.TIMED_OUT;
    }

    /** Closes this JVM's copy of the end; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOCAL.computeIfPresent(key(name(in), name(out)), (k, ref) -> ref.get() == this ? null : ref);
        attachment.release();
    }

    /**
     * Whether this end is closed in this JVM (Python's {@code closed}).
     *
     * @return true once {@link #close()} was called in this JVM
     */
    public boolean closed() {
        return closed;
    }

    /**
     * Whether this end can receive (Python's {@code readable}).
     *
     * @return true if this end can receive
     */
    public boolean readable() {
        return in != null;
    }

    /**
     * Whether this end can send (Python's {@code writable}).
     *
     * @return true if this end can send
     */
    public boolean writable() {
        return out != null;
    }

    @Override
    public String toString() {
        return "Connection[" + (in != null ? "recv " + in.name() : "") + (in != null && out != null ? ", " : "")
                + (out != null ? "send " + out.name() : "") + (closed ? ", closed" : "") + "]";
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("handle is closed");
        }
    }

    private void checkReadable() {
        checkOpen();
        if (in == null) {
            throw new IllegalStateException("connection is write-only");
        }
    }

    private void checkWritable() {
        checkOpen();
        if (out == null) {
            throw new IllegalStateException("connection is read-only");
        }
    }

    /** The ring this end receives from (null: send-only). */
    Ring receivesFrom() {
        return in;
    }

    /** The ring this end sends into (null: receive-only). */
    Ring sendsInto() {
        return out;
    }

    private static String name(Ring ring) {
        return ring == null ? null : ring.name();
    }

    private static String key(String in, String out) {
        return in + "|" + out;
    }

    /**
     * Travels as a handle: the names of its rings; the receiver attaches to the same rings.
     *
     * @return the handle that is serialized in this end's place
     * @throws IllegalStateException if this end is closed, or its rings can no longer be attached
     *     to
     */
    @java.io.Serial
    private Object writeReplace() {
        checkOpen();
        if (in != null) {
            in.checkAttachable();
        }
        if (out != null) {
            out.checkAttachable();
        }
        if (in != null) {
            in.serialized(Ring.READERS);
        }
        if (out != null) {
            out.serialized(Ring.WRITERS);
        }
        return new Handle(name(in), name(out));
    }

    /**
     * What travels: the names of the rings.
     *
     * @param in the name of the ring this end receives from, or null
     * @param out the name of the ring this end sends to, or null
     */
    private record Handle(String in, String out) implements Serializable {
        @java.io.Serial
        private Object readResolve() {
            Connection c = local();
            if (c.in != null) {
                c.in.deserialized(Ring.READERS);
            }
            if (c.out != null) {
                c.out.deserialized(Ring.WRITERS);
            }
            return c;
        }

        private Connection local() {
            String key = key(in, out);
            WeakReference<Connection> ref = LOCAL.get(key);
            Connection c = ref == null ? null : ref.get();
            if (c != null && !c.closed) {
                return c;
            }
            synchronized (LOCAL) {
                ref = LOCAL.get(key);
                c = ref == null ? null : ref.get();
                if (c != null && !c.closed) {
                    return c;
                }
                Ring r = in == null ? null : Ring.open(in);
                Ring w = null;
                try {
                    w = out == null ? null : Ring.open(out);
                    return new Connection(r, w);
                } catch (RuntimeException e) {
                    if (r != null) {
                        r.release();
                    }
                    if (w != null) {
                        w.release();
                    }
                    throw e;
                }
            }
        }
    }
}
