package io.github.pyconcurrent.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleService;
import io.github.pyconcurrent.runtime.JvmFlags;
import com.hazelcast.collection.IQueue;
import com.hazelcast.map.IMap;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
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
 * allowlist ({@link ClusterOptions.Builder#allowPackages}). But open-source Hazelcast has <b>no TLS and no
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

    /**
     * Starts an embedded member in this JVM and joins (or forms) the cluster.
     *
     * @param options the cluster's name, members, bind address and filters
     * @return this JVM's member, joined
     * @throws NullPointerException if {@code options} is null
     * @throws io.github.pyconcurrent.runtime.MissingJvmFlagsError if this JVM lacks the flags Hazelcast needs
     * @throws IllegalArgumentException if the bind address is not one of this machine's
     */
    public static Cluster member(ClusterOptions options) {
        Objects.requireNonNull(options, "options");
        JvmFlags.require("a cluster member (Hazelcast)", JvmFlags.clusterFlags());
        requireLocal(options.bind());
        HazelcastLogging.quiet();
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(SafeConfig.member(options));
        Cluster c = new Cluster(hz, true, options);
        LOG.log(System.Logger.Level.INFO, "member of cluster " + options.clusterName() + " at "
                + address(hz.getCluster().getLocalMember()) + ", members " + c.members());
        return c;
    }

    /**
     * Connects to the cluster as a client (stores nothing, runs no tasks).
     *
     * @param options the cluster's name and the members to try
     * @return a connected client
     * @throws NullPointerException if {@code options} is null
     * @throws io.github.pyconcurrent.runtime.MissingJvmFlagsError if this JVM lacks the flags Hazelcast needs
     * @throws IllegalArgumentException if {@code options} names no member
     * @throws IllegalStateException if no member answered within the options' connect timeout
     */
    public static Cluster client(ClusterOptions options) {
        Objects.requireNonNull(options, "options");
        JvmFlags.require("a cluster client (Hazelcast)", JvmFlags.clusterFlags());
        if (options.members().isEmpty()) {
            throw new IllegalArgumentException("a client needs at least one member address");
        }
        HazelcastLogging.quiet();
        try {
            return new Cluster(HazelcastClient.newHazelcastClient(SafeConfig.client(options)), false, options);
        } catch (IllegalStateException e) {
            // Hazelcast's "Unable to connect to any cluster.": say where it looked and for how long.
            throw new IllegalStateException("no member of cluster " + options.clusterName() + " answered at "
                    + options.members() + " within " + options.connectTimeout().toSeconds() + " s (is one running there,"
                    + " with this cluster name? the wait is ClusterOptions.builder().connectTimeout(...))", e);
        }
    }

    /**
     * Fails, naming the address and the setting, when no interface of this machine has the bind
     * address (Hazelcast's own words: "No matching network interface found. Interface matching
     * must be either disabled or updated in the member configuration").
     */
    static void requireLocal(InetSocketAddress bind) {
        String fix = " Set ClusterOptions.builder().bind(...) to an address of this machine (default 127.0.0.1): one of "
                + localAddresses();
        InetAddress address;
        try {
            address = bind.isUnresolved() ? InetAddress.getByName(bind.getHostString()) : bind.getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot bind the cluster member to " + bind.getHostString()
                    + ": no such host." + fix, e);
        }
        boolean local;
        try {
            local = !address.isAnyLocalAddress() && NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = false;
        }
        if (!local) {
            throw new IllegalArgumentException("cannot bind the cluster member to " + address.getHostAddress()
                    + (address.isAnyLocalAddress() ? ": a member binds one interface, never the wildcard."
                            : ": no network interface of this machine has that address.") + fix);
        }
    }

    private static List<String> localAddresses() {
        try {
            return NetworkInterface.networkInterfaces().filter(Cluster::isUp)
                    .flatMap(NetworkInterface::inetAddresses).map(InetAddress::getHostAddress).toList();
        } catch (SocketException e) {
            return List.of("127.0.0.1");
        }
    }

    private static boolean isUp(NetworkInterface i) {
        try {
            return i.isUp();
        } catch (SocketException e) {
            return false;
        }
    }

    /**
     * A pool whose tasks run on the members, at most once each ({@link ClusterPool}).
     *
     * @return a new pool over this cluster's members, delivering each task at most once
     */
    public ClusterPool pool() {
        return new ClusterPool(hazelcast, ClusterPool.Delivery.AT_MOST_ONCE);
    }

    /**
     * A pool with the given delivery: {@link ClusterPool.Delivery#AT_LEAST_ONCE} re-runs a dead member's tasks.
     *
     * @param delivery at most once, or at least once (a dead member's tasks run again)
     * @return a new pool over this cluster's members
     */
    public ClusterPool pool(ClusterPool.Delivery delivery) {
        return new ClusterPool(hazelcast, delivery);
    }

    /**
     * The dict called {@code name}, shared by every member and client ({@link ClusterDict}).
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param name the dict's name in the cluster
     * @param keyType the class of the keys (a key of another class: {@link ClassCastException})
     * @param valueType the class of the values (a value of another class: {@link ClassCastException})
     * @return a handle on the dict, created on first use
     */
    public <K, V> ClusterDict<K, V> dict(String name, Class<K> keyType, Class<V> valueType) {
        return new ClusterDict<>(guardedMap(name), keyType, valueType);
    }

    /**
     * The lock called {@code name} ({@link ClusterLock}).
     *
     * @param name the lock's name in the cluster
     * @return a handle on the lock
     */
    public ClusterLock lock(String name) {
        return new ClusterLock(hazelcast.getMap(LOCKS_MAP), name);
    }

    /**
     * The unbounded queue called {@code name} ({@link ClusterQueue}).
     *
     * @param <T> the type of the items
     * @param name the queue's name in the cluster
     * @return a handle on the queue, created on first use
     */
    public <T> ClusterQueue<T> queue(String name) {
        return new ClusterQueue<>(guardedQueue(name), 0);
    }

    /**
     * The queue called {@code name}, holding at most {@code maxsize} items (0 or less: unbounded).
     * The bound is cluster configuration: the first caller sets it, and a different bound for the
     * same name later is refused with {@link IllegalStateException}.
     *
     * @param <T> the type of the items
     * @param name the queue's name in the cluster
     * @param maxsize the most items it holds; 0 or less for no bound
     * @return a handle on the queue, created on first use
     * @throws IllegalStateException if the queue exists with another bound
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
        return new ClusterQueue<>(guardedQueue(name), Math.max(0, maxsize));
    }

    /** The map, its allowlist refusals named ({@link ClassNotAllowedException}). */
    @SuppressWarnings("unchecked")
    private <K, V> IMap<K, V> guardedMap(String name) {
        return ClassNotAllowedException.guarded(IMap.class, hazelcast.getMap(name));
    }

    @SuppressWarnings("unchecked")
    private <T> IQueue<T> guardedQueue(String name) {
        return ClassNotAllowedException.guarded(IQueue.class, hazelcast.getQueue(name));
    }

    /**
     * Whether this is a member (else a client).
     *
     * @return true for a member, false for a client
     */
    public boolean isMember() {
        return member;
    }

    /**
     * The addresses of the current members (data members; this one included if it is one).
     *
     * @return the addresses of the current data members
     */
    public List<InetSocketAddress> members() {
        return hazelcast.getCluster().getMembers().stream().map(Cluster::address).toList();
    }

    /**
     * The options this cluster was started with.
     *
     * @return the options this cluster was started with
     */
    public ClusterOptions options() {
        return options;
    }

    /**
     * The underlying Hazelcast instance, for what this API does not cover.
     *
     * @return the Hazelcast instance (member or client) under this cluster
     */
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
