package io.github.pyconcurrent.greenlet;

/**
 * Thrown into a greenlet to kill it; Python's {@code greenlet.GreenletExit}.
 *
 * <p>It is not an error: when it escapes a greenlet's {@code run}, the greenlet ends and the
 * exception <em>object</em> is returned to the parent as the value of the parent's pending
 * {@link Greenlet#switchTo switchTo}, instead of being thrown there.
 *
 * <pre>{@code
 * Object v = g.throwInto(new GreenletExit());   // g's finally blocks run; v is that GreenletExit
 * }</pre>
 */
public class GreenletExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A GreenletExit with no message: Python's {@code GreenletExit()}.
     *
     */
    public GreenletExit() {
        super();
    }

    /**
     * A GreenletExit that says why the greenlet is killed.
     *
     * @param message why the greenlet is killed, e.g. {@code "hub destroyed"}
     */
    public GreenletExit(String message) {
        super(message);
    }
}
