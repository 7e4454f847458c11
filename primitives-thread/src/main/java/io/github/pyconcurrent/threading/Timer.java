package io.github.pyconcurrent.threading;

import java.time.Duration;

/**
 * A thread that runs an action once after a delay, unless cancelled first: Python's
 * {@code threading.Timer}.
 *
 * <pre>{@code
 * Timer reminder = new Timer(Duration.ofSeconds(30), () -> System.out.println("time's up"));
 * reminder.start();
 * ...
 * reminder.cancel();   // if still waiting, the action will not run
 * }</pre>
 *
 * <p>It is a {@link Thread}: start it with {@link #start()}, wait for it with {@link #join()}; like
 * any thread it inherits the daemon flag of its creator. {@link #cancel()} stops a timer that is
 * still waiting (or not yet started); once the action has begun, cancelling has no effect on it.
 * The action's exception goes to {@link Threading#excepthook()}.
 */
public class Timer extends Thread {
    private final Duration interval;
    private final Runnable function;
    /** Set by cancel() or once the action has run: Python's {@code finished} event. */
    private final Event finished = new Event();

    /**
     * A timer that will run {@code function} {@code interval} after {@link #start()}.
     *
     * @param interval how long after {@code start()} to run {@code function}
     * @param function what to run, unless the timer is cancelled first
     * @throws NullPointerException if {@code interval} or {@code function} is null
     */
    public Timer(Duration interval, Runnable function) {
        super((String) null);
        if (interval == null || function == null) {
            throw new NullPointerException(interval == null ? "interval" : "function");
        }
        this.interval = interval;
        this.function = function;
    }

    /** Stops the timer if its action has not started yet. */
    public void cancel() {
        finished.set();
    }

    /** Waits out the interval, then runs the action unless cancelled. */
    @Override
    public void run() {
        try {
            finished.waitFor(interval);
            if (!finished.isSet()) {
                function.run();
            }
        } finally {
            finished.set();
        }
    }
}
