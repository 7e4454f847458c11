package io.github.pyconcurrent.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleService;
import io.github.pyconcurrent.runtime.JvmFlags;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * A place in a cluster of JVMs that share dicts, locks, queues and a pool: Python's
 * {@code multiprocessing.managers.BaseManager(address=..., authkey=...)} served over TCP, and
 * Ray's {@code ray.util.multiprocessing.Pool}, on Hazelcast (the open-source edition, embedded).
 *
 * <pre>{@code
 * ClusterOptions options = ClusterOptions.builder().clusterName("orders")
 *         .members(List.of(new InetSocketAddress("127.0.0.1", 5701))).build();
 * try (Cluster cluster = Cluster.member(options);          // or Cluster.client(options)
 *      PoolLike pool = cluster.pool()) {                   // was: new Pool(4)
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 *     ConcurrentMap<String, Integer> counts = cluster.dict("counts", String.class, Integer.class);
 *     counts.merge("seen", 1, Integer::sum);               // atomic cluster-wide
 *     try (var held = cluster.lock("report").hold()) { ... }
 * }
 * }</pre>
 *
 * <h2>Members and clients</h2>
 * {@link #member} starts an embedded Hazelcast member in this JVM: it stores a share of every
 * dict and queue and runs pool tasks. {@link #client} connects to members without storing or
 * running anything. Both see the same objects by name.
 *
 * <h2>Safe by default; what the open-source edition does not give</h2>
 * Members never phone home, never use multicast or cloud auto-detection, join only the listed
 * addresses over TCP/IP and bind 127.0.0.1 unless told otherwise; deserialization goes through an
 * allowlist ({@link ClusterOptions#allowPackages}). But open-source Hazelcast has <b>no TLS and no
 * authentication</b>: anyone who can reach a member's port can join, read every entry and run
 * code. Run members on a private network (or loopback) only, firewall the ports, and give each
 * application its own cluster name so that two clusters never merge by accident. The cluster
 * name is not a password. (Python's {@code authkey} at least authenticates; this is the deliberate
 * difference.)
 *
 * <p>{@link #close()} leaves the cluster (a member hands its partitions over first) and throws
 * nothing. Thread-safe.
 */
public final class Cluster implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Cluster.class.getName());
    /** The map whose entry locks are the cluster's {@link ClusterLock}s. */
    static final String LOCKS_MAP = "pyconcurrent.locks";

    private final HazelcastInstance hazelcast;
    private final boolean member;
    private final ClusterOptions options;

    private Cluster(HazelcastInstance hazelcast, boolean member, ClusterOptions options) {
        this.hazelcast = hazelcast;
        this.member = member;
        this.options = options;
    }

    /** Starts an embedded member in this JVM and joins (or forms) the cluster. */
    public static Cluster member(ClusterOptions options) {
        Objects.requireNonNull(options, "options");
        JvmFlags.require("a cluster member (Hazelcast)", JvmFlags.clusterFlags());
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(SafeConfig.member(options));
        LOG.log(System.Logger.Level.DEBUG, "member of " + options.clusterName() + " at " + hz.getCluster().getLocalMember().getAddress());
        return new Cluster(hz, true, options);
    }

    /** Connects to the cluster as a client (stores nothing, runs no tasks). */
    public static Cluster client(ClusterOptions options) {
        Objects.requireNonNull(options, "options");
        JvmFlags.require("a cluster client (Hazelcast)", JvmFlags.clusterFlags());
        if (options.members().isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one member address");
        }
        return new Cluster(HazelcastClient.newHazelcastClient(SafeConfig.client(options)), false, options);
    }

    /** A pool whose tasks run on the members, at most once each ({@link ClusterPool}). */
    public ClusterPool pool() {
        return new ClusterPool(hazelcast, ClusterPool.Delivery.AT_MOST_ONCE);
    }

    /** A pool with the given delivery: {@link ClusterPool.Delivery#AT_LEAST_ONCE} re-runs a dead member's tasks. */
    public ClusterPool pool(ClusterPool.Delivery delivery) {
        return new ClusterPool(hazelcast, delivery);
    }

    /** The dict called {@code name}, shared by every member and client ({@link ClusterDict}). */
    public <K, V> ClusterDict<K, V> dict(String name, Class<K> keyType, Class<V> valueType) {
        return new ClusterDict<>(hazelcast.getMap(name), keyType, valueType);
    }

    /** The lock called {@code name} ({@link ClusterLock}). */
    public ClusterLock lock(String name) {
        return new ClusterLock(hazelcast.getMap(LOCKS_MAP), name);
    }

    /** The unbounded queue called {@code name} ({@link ClusterQueue}). */
    public <T> ClusterQueue<T> queue(String name) {
        return new ClusterQueue<>(hazelcast.getQueue(name), 0);
    }

    /**
     * The queue called {@code name}, holding at most {@code maxsize} items (0 or less: unbounded).
     * The bound is cluster configuration: the first caller sets it, and a different bound for the
     * same name later is refused with {@link IllegalStateException}.
     */
    public <T> ClusterQueue<T> queue(String name, int maxsize) {
        if (maxsize > 0) {
            try {
                hazelcast.getConfig().addQueueConfig(new com.hazelcast.config.QueueConfig(name)
                        .setMaxSize(maxsize).setBackupCount(options.backupCount()));
            } catch (com.hazelcast.config.InvalidConfigurationException e) {
                throw new IllegalStateException("queue " + name + " exists with another maxsize", e);
            }
        }
        return new ClusterQueue<>(hazelcast.getQueue(name), Math.max(0, maxsize));
    }

    /** Whether this is a member (else a client). */
    public boolean isMember() {
        return member;
    }

    /** The addresses of the current members (data members; this one included if it is one). */
    public List<InetSocketAddress> members() {
        return hazelcast.getCluster().getMembers().stream().map(Cluster::address).toList();
    }

    /** The options this cluster was started with. */
    public ClusterOptions options() {
        return options;
    }

    /** The underlying Hazelcast instance, for what this API does not cover. */
    public HazelcastInstance hazelcast() {
        return hazelcast;
    }

    static InetSocketAddress address(Member m) {
        return new InetSocketAddress(m.getAddress().getHost(), m.getAddress().getPort());
    }

    /** Leaves the cluster and releases its threads and sockets; idempotent; throws nothing. */
    @Override
    public void close() {
        LifecycleService life = hazelcast.getLifecycleService();
        try {
            if (life.isRunning()) {
                life.shutdown();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "leaving the cluster failed; terminating", e);
            life.terminate();
        }
    }

    @Override
    public String toString() {
        return "<Cluster " + options.clusterName() + (member ? " member " : " client ") + hazelcast.getName() + ">";
    }
}
