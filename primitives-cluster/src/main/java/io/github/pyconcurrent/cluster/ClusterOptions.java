package io.github.pyconcurrent.cluster;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start or reach a {@link Cluster}: the part of {@code BaseManager(address=..., authkey=...)}
 * that says where the cluster is, plus what may be deserialized from it.
 *
 * <pre>{@code
 * ClusterOptions options = ClusterOptions.builder()
 *         .clusterName("orders-prod")                                   // one name per application
 *         .members(List.of(new InetSocketAddress("10.0.0.5", 5701)))    // TCP/IP join, nothing else
 *         .bind(new InetSocketAddress("10.0.0.7", 5701))                // default 127.0.0.1:5701
 *         .allowPackages("com.example.orders")                          // classes tasks and values use
 *         .build();
 * }</pre>
 *
 * <p>Python has no counterpart of the cluster name; the nearest is the {@code authkey}, but it is
 * no secret here: the open-source edition has no authentication, so the name only keeps two
 * applications on one network from joining each other by accident (see {@link Cluster}).
 *
 * <p>Immutable; the builder copies what it is given.
 */
public final class ClusterOptions {
    /** Hazelcast's own default member port; a member binds the bind address's port, or this one when it is 0. */
    public static final int DEFAULT_PORT = 5701;
    /** How long a client tries to reach a member before {@link Cluster#client} fails, unless set. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final String clusterName;
    private final List<InetSocketAddress> members;
    private final InetSocketAddress bind;
    private final int backupCount;
    private final List<String> allowedClasses;
    private final List<String> allowedPackages;
    private final List<String> allowedPrefixes;
    private final Map<String, String> properties;
    private final Duration connectTimeout;

    private ClusterOptions(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.clusterName = b.clusterName;
        this.members = List.copyOf(b.members);
        this.bind = b.bind;
        this.backupCount = b.backupCount;
        this.allowedClasses = List.copyOf(b.allowedClasses);
        this.allowedPackages = List.copyOf(b.allowedPackages);
        this.allowedPrefixes = List.copyOf(b.allowedPrefixes);
        this.properties = Map.copyOf(b.properties);
    }

    /**
     * A builder with the defaults: no members, bind 127.0.0.1, one backup, no extra classes admitted.
     *
     * @return a new builder; {@code clusterName} must be set before {@code build()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The cluster's name: members and clients of different names never talk.
     *
     * @return the cluster's name
     */
    public String clusterName() {
        return clusterName;
    }

    /**
     * The addresses a member joins (TCP/IP) or a client connects to.
     *
     * @return the member addresses, unmodifiable
     */
    public List<InetSocketAddress> members() {
        return members;
    }

    /**
     * Where a member listens: 127.0.0.1 unless told otherwise; port 0 means {@value #DEFAULT_PORT}.
     *
     * @return the address a member listens on
     */
    public InetSocketAddress bind() {
        return bind;
    }

    /**
     * Synchronous backups of every dict entry and queue item (default 1: losing one member loses nothing).
     *
     * @return the number of synchronous backups, 0 to 6
     */
    public int backupCount() {
        return backupCount;
    }

    /**
     * Classes admitted by the deserialization filter besides the defaults (see {@link Cluster}).
     *
     * @return the class names admitted besides the defaults, unmodifiable
     */
    public List<String> allowedClasses() {
        return allowedClasses;
    }

    /**
     * Packages (exact, not their subpackages) admitted by the deserialization filter.
     *
     * @return the package names admitted, unmodifiable
     */
    public List<String> allowedPackages() {
        return allowedPackages;
    }

    /**
     * Class-name prefixes admitted by the deserialization filter (e.g. {@code "com.example."}).
     *
     * @return the class-name prefixes admitted, unmodifiable
     */
    public List<String> allowedPrefixes() {
        return allowedPrefixes;
    }

    /**
     * How long {@link Cluster#client} tries the {@link #members()} before it fails (default 30 s).
     *
     * @return how long a client tries to connect
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * Extra Hazelcast properties (e.g. {@code hazelcast.max.no.heartbeat.seconds}); the safe defaults cannot be overridden here.
     *
     * @return the extra Hazelcast properties, unmodifiable
     */
    public Map<String, String> properties() {
        return properties;
    }

    @Override
    public String toString() {
        return "ClusterOptions[clusterName=" + clusterName + ", members=" + members + ", bind=" + bind
                + ", backupCount=" + backupCount + "]";
    }

    /** Builds {@link ClusterOptions}; {@link #clusterName(String)} is required. */
    public static final class Builder {
        private String clusterName;
        private final List<InetSocketAddress> members = new ArrayList<>();
        private InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);
        private int backupCount = 1;
        private final List<String> allowedClasses = new ArrayList<>();
        private final List<String> allowedPackages = new ArrayList<>();
        private final List<String> allowedPrefixes = new ArrayList<>();
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;

        private Builder() {}

        /**
         * How long a client tries to reach one of the {@link #members} before {@link Cluster#client}
         * fails with an {@link IllegalStateException} naming the addresses (default
         * {@link ClusterOptions#DEFAULT_CONNECT_TIMEOUT}); also how long a connected client tries
         * to reconnect after losing the cluster.
         *
         * @param connectTimeout how long to try, positive
         * @return this builder
         * @throws IllegalArgumentException if {@code connectTimeout} is zero or negative
         */
        public Builder connectTimeout(Duration connectTimeout) {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
            }
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * The cluster's name; use one per application (it is not a secret, see {@link Cluster}).
         *
         * @param clusterName the cluster's name, not blank
         * @return this builder
         * @throws IllegalArgumentException if {@code clusterName} is null or blank
         */
        public Builder clusterName(String clusterName) {
            if (clusterName == null || clusterName.isBlank()) {
                throw new IllegalArgumentException("clusterName must not be blank");
            }
            this.clusterName = clusterName;
            return this;
        }

        /**
         * The members to join or connect to; a member may list itself.
         *
         * @param members the member addresses (replacing any given before)
         * @return this builder
         */
        public Builder members(List<InetSocketAddress> members) {
            this.members.clear();
            this.members.addAll(members);
            return this;
        }

        /**
         * The address and port a member listens on (port 0: {@value ClusterOptions#DEFAULT_PORT}).
         *
         * @param bind the address and port to listen on; it must be one of this machine's
         * @return this builder
         * @throws NullPointerException if {@code bind} is null
         */
        public Builder bind(InetSocketAddress bind) {
            this.bind = Objects.requireNonNull(bind, "bind");
            return this;
        }

        /**
         * Synchronous backups of dict entries and queue items, 0 to 6.
         *
         * @param backupCount the number of synchronous backups, 0 to 6
         * @return this builder
         * @throws IllegalArgumentException if {@code backupCount} is not in 0..6
         */
        public Builder backupCount(int backupCount) {
            if (backupCount < 0 || backupCount > 6) {
                throw new IllegalArgumentException("backupCount must be 0..6: " + backupCount);
            }
            this.backupCount = backupCount;
            return this;
        }

        /**
         * Classes (exact names) admitted by the deserialization filter.
         *
         * @param classNames the fully qualified class names to admit
         * @return this builder
         */
        public Builder allowClasses(String... classNames) {
            allowedClasses.addAll(List.of(classNames));
            return this;
        }

        /**
         * Packages (exact, not their subpackages) admitted by the deserialization filter.
         *
         * @param packageNames the package names to admit (their classes, not their subpackages')
         * @return this builder
         */
        public Builder allowPackages(String... packageNames) {
            allowedPackages.addAll(List.of(packageNames));
            return this;
        }

        /**
         * Class-name prefixes admitted by the deserialization filter (e.g. {@code "com.example."}).
         *
         * @param prefixes the class-name prefixes to admit
         * @return this builder
         */
        public Builder allowPrefixes(String... prefixes) {
            allowedPrefixes.addAll(List.of(prefixes));
            return this;
        }

        /**
         * A Hazelcast property for members and clients started with these options.
         *
         * @param name the Hazelcast property's name
         * @param value its value
         * @return this builder
         * @throws NullPointerException if {@code name} or {@code value} is null
         */
        public Builder property(String name, String value) {
            properties.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options, immutable
         * @throws IllegalArgumentException if no cluster name was set
         */
        public ClusterOptions build() {
            if (clusterName == null) {
                throw new IllegalArgumentException("clusterName is required: use one name per application");
            }
            return new ClusterOptions(this);
        }
    }
}
