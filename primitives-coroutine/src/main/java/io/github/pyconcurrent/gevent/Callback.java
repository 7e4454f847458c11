package io.github.pyconcurrent.gevent;

import io.github.pyconcurrent.greenlet.Greenlet;

/**
 * One wake-up the hub will deliver: switch to {@link #target} with {@link #value}, or throw
 * {@link #throwable} into it. Used for the ready queue, timers (then {@link #deadline} orders
 * them) and socket readiness. One-shot: once fired or cancelled it does nothing.
 *
 * <p>Confined to the hub's thread.
 */
final class Callback implements Comparable<Callback> {
    final Greenlet target;
    final Object value;
    final Throwable throwable;
    /** Timers only: System.nanoTime() deadline, and the order of creation to break ties (-1: not a timer). */
    final long deadline;
    final long seq;
    boolean fired;
    boolean cancelled;

    Callback(Greenlet target, Object value, Throwable throwable, long deadline, long seq) {
        this.target = target;
        this.value = value;
        this.throwable = throwable;
        this.deadline = deadline;
        this.seq = seq;
    }

    /** Called by the hub; returns when some greenlet switches back to the hub. */
    void fire() {
        if (fired || cancelled) {
            return;
        }
        fired = true;
        if (target.isDead()) {
            return;  // e.g. a Timeout its greenlet outlived without cancelling: nobody to wake
        }
        if (throwable != null) {
            target.throwInto(throwable);
        } else {
            target.switchTo(value);
        }
    }

    boolean isTimer() {
        return seq >= 0;
    }

    boolean pending() {
        return !fired && !cancelled;
    }

    @Override
    public int compareTo(Callback o) {
        int c = Long.compare(deadline - o.deadline, 0);
        return c != 0 ? c : Long.compare(seq, o.seq);
    }
}
