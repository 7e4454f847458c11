package io.github.pyconcurrent.threading;

/**
 * A blocking call of this API was interrupted. The thread's interrupt flag has been restored
 * before this is thrown, so the interrupt is never lost; the cause is the original
 * {@link InterruptedException}. (Python has no thread interrupts; Java does, and this API does not
 * declare checked exceptions.)
 */
public class UncheckedInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps {@code cause}, keeping its message (or "interrupted"); does not touch the interrupt flag.
     *
     * @param cause the interruption
     */
    public UncheckedInterruptedException(InterruptedException cause) {
        super(cause.getMessage() == null ? "interrupted" : cause.getMessage(), cause);
    }

    /**
     * Restores the interrupt flag and returns the exception to throw.
     *
     * @param e the interruption caught
     * @return an exception wrapping {@code e}, for the caller to throw
     */
    public static UncheckedInterruptedException restore(InterruptedException e) {
        java.lang.Thread.currentThread().interrupt();
        return new UncheckedInterruptedException(e);
    }

    @Override
    public synchronized InterruptedException getCause() {
        return (InterruptedException) super.getCause();
    }
}
