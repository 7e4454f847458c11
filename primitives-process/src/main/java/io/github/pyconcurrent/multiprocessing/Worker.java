package io.github.pyconcurrent.multiprocessing;

import io.github.pyconcurrent.multiprocessing.Channel.Frame;
import java.io.IOException;
import java.io.Serializable;

/**
 * A pool worker's loop, in its child JVM: run the initializer, say {@code READY}, then run tasks
 * in the order they arrive and answer each with {@code RESULT} or {@code FAILURE}. Python's
 * {@code multiprocessing.pool.worker}.
 *
 * <p>A task that fails, or whose result cannot be serialized, fails alone: the worker goes on.
 * The worker exits 0 after {@code maxTasks} tasks (the pool replaces it), on {@code STOP}, or when
 * the parent closes the channel; it exits 1 if its initializer throws.
 */
final class Worker {
    /** What a worker is told when it starts. */
    record Config(SerializableRunnable initializer, int maxTasks) implements Serializable {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
    }

    private Worker() {}

    static int run(Channel channel, byte[] configBytes) throws IOException {
        Config config = Serial.read(configBytes);
        Multiprocessing.setCurrentProcess(Process.poolWorker());
        if (config.initializer() != null) {
            try {
                config.initializer().run();
            } catch (Throwable t) {
                System.err.println("Pool worker " + ProcessHandle.current().pid() + ": initializer failed:");
                t.printStackTrace();
                // Said explicitly: a worker killed from outside before READY is not the initializer's fault.
                channel.send(Frame.INIT_FAILED, 0, Serial.toBytes(new TaskFailure(t)));
                return 1;
            }
        }
        channel.send(Frame.READY, 0);
        int done = 0;
        while (true) {
            Frame f = channel.receive();
            if (f == null || f.type() != Frame.TASK) {
                break;
            }
            runTask(channel, f);
            if (config.maxTasks() > 0 && ++done >= config.maxTasks()) {
                break;
            }
        }
        channel.flush();
        System.out.flush();
        System.err.flush();
        return 0;
    }

    private static void runTask(Channel channel, Frame f) {
        byte[] answer;
        byte type;
        try {
            SerializableCallable<?> task = Serial.read(f.payload());
            Object result = task.call();
            answer = Serial.toBytes(result);
            type = Frame.RESULT;
        } catch (Throwable t) {
            answer = Serial.toBytes(new TaskFailure(t));
            type = Frame.FAILURE;
        }
        // Sent at once, never held back for the next task: a callback must not wait for a
        // later task, and a worker that dies in its next task must not take this answer with it
        // (the pool fails the task it believes was running).
        channel.send(type, f.id(), answer);
    }
}
