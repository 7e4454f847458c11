package io.github.pyconcurrent.threading;

/**
 * Child-JVM program for {@link JvmExitTest}: {@code main} starts one {@link Thread} and returns.
 *
 * <ul>
 *   <li>{@code non-daemon}: the thread (daemon flag inherited from main: false) waits for the
 *       main thread to end, then prints {@code worker outlived main} — which only appears if the
 *       JVM waited for it;</li>
 *   <li>{@code daemon}: the thread is a daemon and blocks forever — the JVM must exit anyway.</li>
 * </ul>
 */
public final class JvmExitMain {
    private JvmExitMain() {}

    public static void main(String[] args) {
        Thread main = Threading.currentThread();
        System.out.println("main is " + main.name());
        Thread worker;
        if (args[0].equals("non-daemon")) {
            worker = new Thread("worker", () -> {
                main.join();
                System.out.println("worker outlived main");
            });
        } else {
            worker = new Thread("worker", () -> new Event().waitFor());
            worker.setDaemon(true);
        }
        worker.start();
        System.out.println("worker daemon=" + worker.isDaemon());
        System.out.println("main returning");
    }
}
