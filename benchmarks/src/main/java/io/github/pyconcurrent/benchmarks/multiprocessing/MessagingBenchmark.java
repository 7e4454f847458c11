package io.github.pyconcurrent.benchmarks.multiprocessing;

import io.github.pyconcurrent.benchmarks.Versus;
import io.github.pyconcurrent.multiprocessing.Connection;
import io.github.pyconcurrent.multiprocessing.Pipe;
import io.github.pyconcurrent.multiprocessing.Process;
import io.github.pyconcurrent.multiprocessing.Queue;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A round trip between two processes: this JVM puts (sends) a small object, a child JVM started
 * as a {@link Process} takes it and puts (sends) it back. {@link Queue} uses two queues, one per
 * direction; {@link Pipe} one duplex pipe for objects (12345) and one for 16-byte messages
 * ({@code sendBytes}/{@code recvBytes}). Rows {@code mp_queue_pingpong_rtt},
 * {@code mp_pipe_pingpong_rtt} and {@code mp_pipe_bytes_pingpong_rtt} of issue 17. The JDK baseline is the same round trip between two
 * threads of one JVM through two {@link ArrayBlockingQueue}s (what the JVM offers without a
 * second process); CPython's twin is the same echo between two processes through
 * {@code multiprocessing.Queue} / {@code Pipe}.
 *
 * <p>Both echo children start in the trial's set-up, are used until warm, and end in its
 * tear-down (an end-of-run marker, then join).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
public class MessagingBenchmark {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Integer STOP = -1;
    private static final Integer PING = 12345;
    private static final byte[] BYTES = new byte[16];
    private static final byte[] BYTES_STOP = new byte[0];

    Queue<Integer> toChild;
    Queue<Integer> fromChild;
    Process queueEcho;
    Pipe pipe;
    Process pipeEcho;
    Pipe bytesPipe;
    Process bytesEcho;
    ArrayBlockingQueue<Integer> jdkTo;
    ArrayBlockingQueue<Integer> jdkFrom;
    Thread jdkEcho;

    @Setup(Level.Trial)
    public void start() {
        Queue<Integer> in = new Queue<>();
        Queue<Integer> out = new Queue<>();
        toChild = in;
        fromChild = out;
        queueEcho = new Process(() -> {
            for (Integer v = in.get(); !v.equals(STOP); v = in.get()) {
                out.put(v);
            }
        });
        queueEcho.setDaemon(true);
        queueEcho.start();

        pipe = Pipe.open();
        Connection far = pipe.right();
        pipeEcho = new Process(() -> {
            for (Object v = far.recv(); !STOP.equals(v); v = far.recv()) {
                far.send(v);
            }
        });
        pipeEcho.setDaemon(true);
        pipeEcho.start();

        bytesPipe = Pipe.open();
        Connection bytesFar = bytesPipe.right();
        bytesEcho = new Process(() -> {
            for (byte[] b = bytesFar.recvBytes(); b.length > 0; b = bytesFar.recvBytes()) {
                bytesFar.sendBytes(b);
            }
        });
        bytesEcho.setDaemon(true);
        bytesEcho.start();

        jdkTo = new ArrayBlockingQueue<>(16);
        jdkFrom = new ArrayBlockingQueue<>(16);
        jdkEcho = Thread.ofPlatform().daemon().start(() -> {
            try {
                for (Integer v = jdkTo.take(); !v.equals(STOP); v = jdkTo.take()) {
                    jdkFrom.put(v);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Both children answer before measurement starts: their JVMs are up and attached.
        for (int i = 0; i < 1000; i++) {
            queue();
            pipe();
            pipeBytes();
        }
    }

    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        toChild.put(STOP);
        pipe.left().send(STOP);
        bytesPipe.left().sendBytes(BYTES_STOP);
        jdkTo.put(STOP);
        queueEcho.join(TIMEOUT);
        pipeEcho.join(TIMEOUT);
        bytesEcho.join(TIMEOUT);
        jdkEcho.join(TIMEOUT.toMillis());
        toChild.close();
        fromChild.close();
        pipe.close();
        bytesPipe.close();
    }

    /** put + get between two JVMs. */
    @Benchmark
    @Versus(jdk = "jdkBlockingQueues", cpython = "multiprocessing.Queue put+get round trip",
            label = "mp_queue_pingpong_rtt: Queue put + get round trip of an int, two processes")
    public Integer queue() {
        toChild.put(PING);
        return fromChild.get();
    }

    /** send + recv between two JVMs. */
    @Benchmark
    @Versus(jdk = "jdkBlockingQueues", cpython = "multiprocessing.Pipe send+recv round trip",
            label = "mp_pipe_pingpong_rtt: Pipe send + recv round trip of 12345, two processes")
    public Object pipe() {
        Connection near = pipe.left();
        near.send(PING);
        return near.recv();
    }

    /** sendBytes + recvBytes of 16 bytes between two JVMs. */
    @Benchmark
    @Versus(jdk = "jdkBlockingQueues", cpython = "multiprocessing.Pipe send_bytes+recv_bytes 16 bytes round trip",
            label = "mp_pipe_bytes_pingpong_rtt: Pipe sendBytes + recvBytes round trip of 16 bytes, two processes")
    public byte[] pipeBytes() {
        Connection near = bytesPipe.left();
        near.sendBytes(BYTES);
        return near.recvBytes();
    }

    /** JDK baseline: the same round trip between two threads of this JVM. */
    @Benchmark
    public Integer jdkBlockingQueues() throws InterruptedException {
        jdkTo.put(PING);
        return jdkFrom.take();
    }
}
