package io.github.pyconcurrent.multiprocessing;

import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * A pool's result thread: Python's {@code Pool._handle_results}. Runs, one at a time and in
 * arrival order, what the workers' reader threads hand it: a task's callback (or error callback)
 * followed by the completion of its {@link AsyncResult}.
 *
 * <p>The hand-off is a JCTools MPSC queue (many reader threads produce, this thread consumes),
 * with park/unpark for the empty case, as Netty feeds its event loops: a producer never takes a
 * lock. An exception thrown by a callback is logged (WARNING) and the thread goes on.
 */
final class ResultHandler {
    private static final System.Logger LOG = System.getLogger(ResultHandler.class.getName());
    private static final Runnable STOP = () -> { };

    private final MpscUnboundedVarHandleArrayQueue<Runnable> queue = new MpscUnboundedVarHandleArrayQueue<>(256);
    private final Thread thread;

    ResultHandler(String name) {
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    void submit(Runnable work) {
        queue.offer(work);
        LockSupport.unpark(thread);
    }

    /** Runs what was submitted before this call, then ends the thread; waits for it. */
    void stopAndJoin() throws InterruptedException {
        if (Thread.currentThread() == thread) {
            queue.offer(STOP);
            return; // a callback closing its own pool: the thread ends after this callback
        }
        submit(STOP);
        thread.join();
    }

    boolean isResultThread() {
        return Thread.currentThread() == thread;
    }

    private void loop() {
        while (true) {
            Runnable r = queue.relaxedPoll();
            if (r == null) {
                if (queue.isEmpty()) {
                    LockSupport.park(this);
                }
                continue;
            }
            if (r == STOP) {
                return;
            }
            try {
                r.run();
            } catch (Throwable t) {
                LOG.log(Level.WARNING, "a pool callback threw; the pool goes on", t);
            }
        }
    }
}
