package io.github.pyconcurrent.cluster;

import java.io.IOException;

/**
 * Test helper, run in a child JVM: a cluster member that joins {@code args[1]} (a port on
 * 127.0.0.1) of cluster {@code args[0]}, binding {@code args[2]}; takes the cluster lock
 * {@code args[3]} if given and prints {@code HELD}; then serves until its stdin closes (the
 * parent ended or closed it) or it is killed.
 */
public final class ChildMember {
    private ChildMember() {}

    public static void main(String[] args) throws IOException {
        ClusterOptions options = TestClusters.options(args[0], Integer.parseInt(args[2]), Integer.parseInt(args[1])).build();
        try (Cluster cluster = Cluster.member(options)) {
            System.out.println("JOINED " + cluster.members().size());
            if (args.length > 3) {
                cluster.lock(args[3]).acquire();
                System.out.println("HELD");
            }
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the parent closes our stdin
            }
        }
    }
}
