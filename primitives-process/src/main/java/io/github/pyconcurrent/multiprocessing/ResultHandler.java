package io.github.pyconcurrent.multiprocessing;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.varhandle.MpscUnboundedVarHandleArrayQueue;

/**
 * A pool's result thread: Python's {@code Pool._handle_results}. The one thread of the parent
 * that collects the workers' answers from their result rings ({@link Source}, the {@link Pool})
 * and runs, one at a time, each task's callback (or error callback) followed by the completion of
 * its {@link AsyncResult}; also what other threads hand it ({@link #submit}: failures decided
 * elsewhere, e.g. by {@link Pool#terminate()}, whose callbacks must run here too).
 *
 * <p>Waiting: all workers ring one doorbell, a small {@link Ring} of the pool's whose data futex
 * this thread sleeps on ({@link Ring#awaitRing}) after the {@link WaitStrategy}'s spin and yield,
 * so one futex serves any number of workers, and a worker (or {@link #submit}) makes a system call
 * only when this thread sleeps. It sleeps without a time limit ({@link #UNTIL_WOKEN}): every event
 * that matters rings the bell, so an idle pool's result thread costs no CPU at all. A callback that throws is logged
 * (WARNING) and the thread goes on.
 *
 * <p>Helpers: a caller blocked in {@link AsyncResult#get()} on a pool's task reads the answers
 * itself while it waits ({@link #enterDrain}, the pool's {@code drainResults}): the answer then
 * reaches it in two hops (caller to worker, worker to caller) instead of three, and this thread
 * is not woken at all. While such a helper is counted, and while no answer is due at all, this
 * thread naps off the doorbell (so a worker's answer makes no system call to wake it, and wakes
 * only the helper); the helper reads every answer there is
 * until it leaves, hands answers that carry callbacks to this thread ({@link #execute}), and the
 * last helper to leave wakes this thread if a task is still unanswered ({@link #leaveDrain}). So
 * no answer is ever left in a ring with nobody to read it, and callbacks stay on this thread.
 */
final class ResultHandler {
    private static final System.Logger LOG = System.getLogger(ResultHandler.class.getName());
    private static final Runnable STOP = () -> { };
    /**
     * How long an idle result thread (or worker) sleeps on its futex: until it is woken. Every
     * event that matters wakes it: an answer or a {@link #submit} rings the bell, a task or STOP
     * is a write to the worker's task ring. The one wake that can be lost, a worker killed between
     * writing an answer and ringing, needs none: the pool's exit handling of that worker reads its
     * ring for the last time. (The parent's death ends a worker through its {@link Lifeline}.)
     * Measured over 10 s of /proc/PID/stat, an idle {@code Pool(4)} (parent and workers) cost
     * 3.7% of a core with 100 ms slices and 2.0% with 1 s slices; see the README for today's figure.
     */
    static final long UNTIL_WOKEN = Long.MAX_VALUE;

    /** Where the answers are: the pool's workers' result rings. */
    interface Source {
        /** Handles every answer there is now; whether there was any. Result thread only. */
        boolean drain();

        /** Whether some answer waits (a cheap look, no reading). */
        boolean hasData();
    }

    private final MpscUnboundedVarHandleArrayQueue<Runnable> queue = new MpscUnboundedVarHandleArrayQueue<>(256);
    /** The doorbell new workers are told to ring; replaced if its file is deleted ({@link #bellName}). */
    private volatile Ring bell = Ring.create("bell", 4096);
    /**
     * Doorbells whose files were deleted by someone else, still rung by the workers that attached
     * them before: this thread cannot sleep on two futexes, so while there are any it sleeps in
     * {@link #DEGRADED_SLICE_NANOS} slices and looks at every ring (a pool outlives such a
     * deletion, slower to answer by that much at most, instead of failing every later worker).
     */
    private final java.util.List<Ring> lostBells = new java.util.concurrent.CopyOnWriteArrayList<>();
    static final long DEGRADED_SLICE_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10);
    private final Source source;
    private final Thread thread;
    /** Callers reading the answers themselves now ({@link #enterDrain}); while there are any, this thread naps. */
    private final AtomicInteger drainers = new AtomicInteger();
    /** Tasks submitted whose answer nobody has taken yet ({@link #expect}, {@link #answered}). */
    private final AtomicLong awaiting = new AtomicLong();
    /** The one helper allowed to sleep on the doorbell ({@link #claimBell}); the others park on their results. */
    private final AtomicReference<Thread> bellSleeper = new AtomicReference<>();
    /** This thread is parked off the doorbell because helpers read the answers or none is due ({@link #offBell}). */
    private volatile boolean napping;

    ResultHandler(String name, Source source) {
        this.source = source;
        thread = Thread.ofPlatform().daemon().name(name).start(this::loop);
    }

    /**
     * The doorbell's name, for a worker about to start. If its file was deleted from /dev/shm by
     * someone else (a worker could not attach it: every later worker would fail), a new doorbell
     * is made for the workers from now on; the old one stays mapped for the workers that rang it.
     */
    synchronized String bellName() {
        Ring b = bell;
        if (!java.nio.file.Files.exists(io.github.pyconcurrent.shared.internal.ShmRegistry.DIR.resolve(
                io.github.pyconcurrent.shared.internal.ShmRegistry.SEGMENT_PREFIX + b.name()))) {
            LOG.log(Level.WARNING, "the pool's doorbell " + b.name() + " was deleted from "
                    + io.github.pyconcurrent.shared.internal.ShmRegistry.DIR + " by someone else: new workers get a new one;"
                    + " answers of the workers started before may reach the pool up to "
                    + DEGRADED_SLICE_NANOS / 1_000_000 + " ms later");
            lostBells.add(b);
            bell = Ring.create("bell", 4096);
            b.ring();   // the result thread, perhaps asleep on the old one, moves to the new one
            LockSupport.unpark(thread);   // or napping: it stops (no nap while a doorbell is lost)
        }
        return bell.name();
    }

    void submit(Runnable work) {
        queue.offer(work);
        bell.ring();
        if (napping) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Runs {@code work} on the result thread: now if this is it and nothing waits before it, else
     * after what was submitted before (so a worker's callbacks run in the order of its answers,
     * whichever thread read them).
     */
    void execute(Runnable work) {
        if (isResultThread() && queue.isEmpty()) {
            run(work);
        } else {
            submit(work);
        }
    }

    /** The workers now alive were given these doorbells: lost ones none of them rings are let go. */
    synchronized void bellsInUse(java.util.Set<String> names) {
        for (Ring b : lostBells) {
            if (!names.contains(b.name())) {
                lostBells.remove(b);
                b.release();
            }
        }
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

    /** {@code n} tasks were submitted: their answers are awaited (this thread wakes if nobody else reads them). */
    void expect(int n) {
        awaiting.addAndGet(n);
        if (napping && drainers.get() == 0) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Whether this thread is parked off the doorbell now ({@link #offBell}): for tests.
     *
     * @return true while it naps in {@code LockSupport.park}
     */
    boolean parkedOffBell() {
        return napping && thread.getState() == Thread.State.WAITING;
    }

    /** A task's answer was taken, or the task failed without one. */
    void answered() {
        awaiting.decrementAndGet();
    }

    /** The calling thread reads answers until {@link #leaveDrain}: this thread may nap meanwhile. */
    void enterDrain() {
        drainers.incrementAndGet();
    }

    /** The calling thread stops reading answers: the last one to leave wakes this thread if answers are due. */
    void leaveDrain() {
        if (drainers.decrementAndGet() == 0 && napping && awaiting.get() > 0) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * The calling helper may sleep on the doorbell (woken by the next answer, as this thread is),
     * unless another helper does already or the pool lost a doorbell ({@link #bellName}); then it
     * parks on its own result instead. Released with {@link #releaseBell}.
     */
    boolean claimBell() {
        return lostBells.isEmpty() && bellSleeper.compareAndSet(null, Thread.currentThread());
    }

    void releaseBell() {
        bellSleeper.set(null);
    }

    /** The helper that {@link #claimBell claimed} the doorbell sleeps on it up to {@code nanos}, unless {@code ready}. */
    void awaitBell(java.util.function.BooleanSupplier ready, long nanos) {
        bell.awaitRing(ready, nanos);
    }

    /** A task's result was completed: a helper asleep on the doorbell waiting for it wakes. */
    void completed() {
        if (bellSleeper.get() != null) {
            bell.ring();
        }
    }

    private void loop() {
        try {
            long idleSince = -1;
            while (true) {
                boolean worked = false;
                Runnable r;
                while ((r = queue.relaxedPoll()) != null) {
                    if (r == STOP) {
                        return;
                    }
                    run(r);
                    worked = true;
                }
                try {
                    worked |= source.drain();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "reading the pool's results failed", e);
                }
                if (worked) {
                    idleSince = -1;
                    continue;
                }
                if (offBell() && lostBells.isEmpty()) {
                    // Helpers read the answers, or none is due: sleep off the doorbell until
                    // helpers leave with answers due ({@link #leaveDrain}), a task is submitted
                    // with none of them left ({@link #expect}) or work is handed here ({@link #submit}).
                    napping = true;
                    if (offBell() && queue.isEmpty()) {
                        LockSupport.park(this);
                    }
                    napping = false;
                    idleSince = -1;
                    continue;
                }
                if (idleSince < 0) {
                    idleSince = System.nanoTime();
                }
                if (!WaitStrategy.POOL.idle(idleSince, -1)) {
                    bell.awaitRing(() -> !queue.isEmpty() || source.hasData(),
                            lostBells.isEmpty() ? UNTIL_WOKEN : DEGRADED_SLICE_NANOS);
                }
            }
        } finally {
            bell.release();
            lostBells.forEach(Ring::release);
        }
    }

    /**
     * Whether this thread has no reason to sleep on the doorbell: a helper reads the answers, or
     * no answer is due. Why the second: a worker's answer wakes every sleeper of the doorbell, so
     * a result thread left asleep on it through an idle spell was woken beside the caller of the
     * next {@code apply} (profiled after 300 ms of idling: a third thread to run on caches the
     * idle spell had emptied, on the 2-core VMs often on the caller's own CPU).
     */
    private boolean offBell() {
        return drainers.get() > 0 || awaiting.get() == 0;
    }

    private static void run(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.log(Level.WARNING, "a pool callback threw; the pool goes on", t);
        }
    }
}
