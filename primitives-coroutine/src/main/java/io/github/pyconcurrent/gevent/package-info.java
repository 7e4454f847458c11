/**
 * Python's {@code gevent}: greenlets scheduled by an event loop, with I/O that switches by itself.
 *
 * <p>Each thread has a {@link io.github.pyconcurrent.gevent.Hub}: a greenlet running a
 * {@code java.nio} {@code Selector} loop with timers. {@link io.github.pyconcurrent.gevent.Gevent#spawn}
 * makes a {@link io.github.pyconcurrent.gevent.GreenletTask} that the hub starts; whenever a
 * greenlet waits - {@code Gevent.sleep}, {@code join}/{@code joinall}/{@code get}, a
 * {@link io.github.pyconcurrent.gevent.CooperativeSocket} that would block, a
 * {@link io.github.pyconcurrent.gevent.Timeout} - it switches to the hub, which runs the next
 * greenlet that can go on. The greenlets of one hub never run in parallel, and are switched only
 * where they wait: code between two waits needs no lock against the other greenlets of its hub.
 *
 * <pre>{@code
 * List<GreenletTask<byte[]>> jobs = new ArrayList<>();
 * for (URI url : urls) {
 *     jobs.add(Gevent.spawn(() -> fetch(url)));    // fetch uses Gevent.socket()
 * }
 * Gevent.joinall(jobs);                            // the fetches overlap on this one thread
 * Hub.get().destroy();                             // release the selector when done
 * }</pre>
 *
 * <h2>The JVM-native alternative: virtual threads</h2>
 * A virtual thread per task ({@code Executors.newVirtualThreadPerTaskExecutor()}) gives the same
 * "write blocking code, get concurrency" with every blocking JDK call (sockets, {@code HttpClient},
 * files, locks, queues), no special socket type and no monkey-patching. But virtual threads run
 * in parallel on several carriers, so shared state needs locks, and a switch can happen at any
 * blocking call.
 * <ul>
 * <li>Pick <b>virtual threads</b> for new code, for CPU work spread over cores, and when the
 *     code calls libraries that do their own blocking I/O.</li>
 * <li>Pick <b>gevent</b> when porting gevent code that relies on its model: one thread, switches
 *     only at waits, so plain fields shared among the greenlets need no synchronization; when
 *     order must be deterministic (tests, simulations); or when greenlet-style explicit switching
 *     is mixed in.</li>
 * </ul>
 *
 * <p>Differences from gevent: no monkey-patching (use {@code Gevent.socket()} for cooperative
 * I/O: JDK blocking calls block the whole hub thread); one hub per thread, confined to it; a
 * killed task's value is null; {@code joinall(tasks, timeout)} returns whether all finished.
 */
package io.github.pyconcurrent.gevent;
