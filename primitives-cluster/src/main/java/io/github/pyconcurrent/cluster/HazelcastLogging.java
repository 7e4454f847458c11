package io.github.pyconcurrent.cluster;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What of Hazelcast's logging reaches the user of a {@link Cluster} (Hazelcast logs through
 * java.util.logging here, {@link SafeConfig#LOGGING_TYPE}). A member's start printed some forty
 * lines (an ASCII-art banner, a copyright, advice to enable the Jet engine, security
 * recommendations, diagnostics); a client that could not connect printed a hundred and thirty;
 * a task of a class outside the allowlist, a SEVERE stack trace per call on the member. The user
 * needs none of it: {@link Cluster} logs one INFO line per member start and throws errors that
 * name their fix ({@link ClassNotAllowedException}, the connect timeout).
 *
 * <p>So, unless the user has set a level for {@code com.hazelcast} (then nothing is changed):
 * Hazelcast logs WARNING and above; the client's connection attempts and the member's report of
 * a refused class, which the caller gets as an exception anyway, are dropped. Set
 * {@code com.hazelcast.level = INFO} in the logging configuration to see all of Hazelcast's
 * lines again.
 */
final class HazelcastLogging {
    /** Hazelcast's root logger: held, because java.util.logging holds loggers weakly (a level set on a collected one is lost). */
    private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
    /** Where a client logs each failed attempt to connect. */
    private static final Logger CONNECTIONS = Logger.getLogger("com.hazelcast.client.impl.connection.ClientConnectionManager");
    /** Where a member logs a task it could not deserialize. */
    private static final List<Logger> TASKS = List.of(
            Logger.getLogger("com.hazelcast.executor.impl.operations.MemberCallableTaskOperation"),
            Logger.getLogger("com.hazelcast.executor.impl.operations.CallableTaskOperation"),
            Logger.getLogger("com.hazelcast.durableexecutor.impl.operations.TaskOperation"));
    private static boolean done;

    private HazelcastLogging() {}

    /** Applies the above, once per JVM. */
    static synchronized void quiet() {
        if (done || HAZELCAST.getLevel() != null) {
            done = true;
            return;
        }
        done = true;
        HAZELCAST.setLevel(Level.WARNING);
        CONNECTIONS.setFilter(r -> !isConnectAttempt(r));
        Filter refusedClass = r -> r.getThrown() == null || ClassNotAllowedException.of(r.getThrown()) == null;
        TASKS.forEach(l -> l.setFilter(refusedClass));
    }

    private static boolean isConnectAttempt(LogRecord r) {
        String m = r.getMessage();
        return m != null && (m.contains("initial connection") || m.contains("Unable to get live cluster connection")
                || m.contains("Trying to connect"));
    }
}
