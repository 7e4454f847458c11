package io.github.pyconcurrent.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The one place where members' and clients' Hazelcast configurations are made, with this
 * module's safe defaults (Netty's rule: every tunable named, read in one place):
 * <ul>
 *   <li>{@value #PHONE_HOME} = false: Hazelcast otherwise reports usage to hazelcast.com;</li>
 *   <li>multicast discovery and cloud auto-detection off; TCP/IP join to the listed members only;</li>
 *   <li>members bind the configured interface only (127.0.0.1 by default), never the wildcard;</li>
 *   <li>Java deserialization through an allowlist ({@link #serializationFilter}), the policy of
 *       primitives-process's {@code Serial} made explicit: the JDK basics, this toolkit, Hazelcast's
 *       own classes, and what the user adds through {@link ClusterOptions}.</li>
 * </ul>
 * Properties from {@link ClusterOptions#properties()} are applied first, so they cannot undo these.
 */
final class SafeConfig {
    static final String PHONE_HOME = "hazelcast.phone.home.enabled";
    /** The member attribute carrying the member's pid, named in {@code WorkerDiedError}. */
    static final String PID_ATTRIBUTE = "pyconcurrent.pid";
    /** Hazelcast's logging; {@code jdk} routes it to java.util.logging, as System.Logger does by default. */
    static final String LOGGING_TYPE = "hazelcast.logging.type";

    private SafeConfig() {}

    // "removal": Hazelcast 5.x deprecates its REST API (for removal) but still has it; it stays
    // switched off here explicitly until the setting is gone.
    @SuppressWarnings("removal")
    static Config member(ClusterOptions o) {
        Config c = new Config();
        o.properties().forEach(c::setProperty);
        c.setProperty(PHONE_HOME, "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        if (!o.properties().containsKey(LOGGING_TYPE)) {
            c.setProperty(LOGGING_TYPE, "jdk");
        }
        c.setClusterName(o.clusterName());

        NetworkConfig net = c.getNetworkConfig();
        InetSocketAddress bind = o.bind();
        net.setPort(bind.getPort() == 0 ? ClusterOptions.DEFAULT_PORT : bind.getPort());
        net.setPortAutoIncrement(false);
        // Hazelcast's interfaces are IP patterns, not host names.
        String ip = bind.isUnresolved() ? bind.getHostString() : bind.getAddress().getHostAddress();
        net.getInterfaces().setEnabled(true).addInterface(ip);
        net.getRestApiConfig().setEnabled(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(addresses(o.members()));

        c.getJetConfig().setEnabled(false);
        c.getMapConfig("default").setBackupCount(o.backupCount());
        c.getQueueConfig("default").setBackupCount(o.backupCount());
        c.getMemberAttributeConfig().setAttribute(PID_ATTRIBUTE, Long.toString(ProcessHandle.current().pid()));
        c.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter(o));
        return c;
    }

    static ClientConfig client(ClusterOptions o) {
        ClientConfig c = new ClientConfig();
        o.properties().forEach(c::setProperty);
        c.setProperty(PHONE_HOME, "false");
        if (!o.properties().containsKey(LOGGING_TYPE)) {
            c.setProperty(LOGGING_TYPE, "jdk");
        }
        c.setClusterName(o.clusterName());
        c.getNetworkConfig().setAddresses(addresses(o.members()));
        c.getNetworkConfig().getAutoDetectionConfig().setEnabled(false);
        c.getNetworkConfig().getCloudConfig().setEnabled(false);
        // A client that cannot reach the cluster fails instead of retrying for ever.
        c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(o.connectTimeout().toMillis());
        c.getSerializationConfig().setJavaSerializationFilterConfig(serializationFilter(o));
        return c;
    }

    /**
     * Only these classes may be deserialized from the cluster (Hazelcast's defaults are disabled:
     * they admit every {@code java*} class, JNDI and RMI included). Lambdas arrive as
     * {@code java.lang.invoke.SerializedLambda} naming their capturing class, which must be
     * admitted too: the toolkit's own, or the user's through {@link ClusterOptions}.
     */
    static JavaSerializationFilterConfig serializationFilter(ClusterOptions o) {
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        ClassFilter allow = filter.getWhitelist();
        allow.addPackages("java.lang", "java.util", "java.util.concurrent", "java.util.concurrent.atomic",
                "java.util.function", "java.time", "java.math");
        allow.addClasses("java.lang.invoke.SerializedLambda", "java.io.IOException", "java.io.UncheckedIOException",
                "java.io.EOFException", "java.io.FileNotFoundException");
        allow.addPrefixes("io.github.pyconcurrent.", "com.hazelcast.", "[");
        o.allowedClasses().forEach(allow::addClasses);
        o.allowedPackages().forEach(allow::addPackages);
        o.allowedPrefixes().forEach(allow::addPrefixes);
        return filter;
    }

    private static List<String> addresses(List<InetSocketAddress> members) {
        return members.stream().map(a -> a.getHostString() + ":" + (a.getPort() == 0 ? ClusterOptions.DEFAULT_PORT : a.getPort())).toList();
    }
}
