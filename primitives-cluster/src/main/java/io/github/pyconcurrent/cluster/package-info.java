/**
 * Python's {@code multiprocessing.managers} over TCP and Ray's {@code multiprocessing.Pool}: the
 * toolkit's Pool, dict, lock and queue across machines, on Hazelcast's open-source edition
 * embedded in the JVM (no cluster of our own).
 *
 * <h2>The design space</h2>
 * A {@link io.github.pyconcurrent.cluster.Cluster} is either a <em>member</em> (stores a share of
 * the data, runs pool tasks) or a <em>client</em> (reaches the members). Everything else is
 * named and shared through it:
 * <ul>
 *   <li>{@link io.github.pyconcurrent.cluster.ClusterPool}: the local {@code Pool}'s interface
 *       ({@code PoolLike}) with the members as workers; a member's death fails only its tasks
 *       ({@code WorkerDiedError}), or re-runs them with at-least-once delivery;</li>
 *   <li>{@link io.github.pyconcurrent.cluster.ClusterDict}: a {@code ConcurrentMap} with atomic
 *       {@code compute}/{@code merge}/{@code putIfAbsent} cluster-wide and one backup per entry;</li>
 *   <li>{@link io.github.pyconcurrent.cluster.ClusterLock}: the threading lock API, released
 *       when its holder's member dies;</li>
 *   <li>{@link io.github.pyconcurrent.cluster.ClusterQueue}: the multiprocessing {@code Queue} API.</li>
 * </ul>
 *
 * <h2>Running it safely</h2>
 * Members never phone home, use no multicast or cloud discovery, join only the listed addresses
 * over TCP/IP, bind 127.0.0.1 unless told otherwise, and deserialize only allowlisted classes.
 * The open-source edition has <b>no TLS and no authentication</b>: run members on a private
 * network or loopback only, firewall their ports, and give each application its own cluster
 * name (a name, not a secret).
 */
package io.github.pyconcurrent.cluster;
