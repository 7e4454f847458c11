package io.github.pyconcurrent.greenlet;

/** Run in a child JVM by {@link BackendSelectionTest}: prints the backend and a switch's result. */
public final class BackendProbe {
    private BackendProbe() {}

    public static void main(String[] args) {
        try {
            Greenlet main = Greenlet.getcurrent();
            Greenlet g = new Greenlet(a -> main.switchTo("switched"));
            Object v = g.switchTo();
            g.switchTo();
            System.out.println(Greenlet.backend() + " " + v + " " + g.isDead());
        } catch (Throwable t) {
            StringBuilder chain = new StringBuilder("failed:");
            for (Throwable c = t; c != null; c = c.getCause()) {
                chain.append(' ').append(c.getClass().getSimpleName()).append(": ").append(c.getMessage()).append(';');
            }
            System.out.println(chain);
        }
    }
}
