package io.github.pyconcurrent.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;

/** A benchmark class as the runner sees it, never run: the test sources skip JMH's processor. */
public class PairingFixture {

    @Benchmark
    @Versus(jdk = "baseline", cpython = "python key", label = "Ours")
    public void ours() {
    }

    @Benchmark
    @Versus(jdk = "baseline")
    public void unlabelled() {
    }

    @Benchmark
    public void baseline() {
    }

    @Benchmark
    public void extra() {
    }

    @Benchmark
    @Versus(jdk = "baseline", cpython = "sampled p50", label = "Sampled p50")
    @Versus(jdk = "baseline", cpython = "sampled p99", label = "Sampled p99", percentile = 99)
    @Versus(jdk = "baseline", cpython = "other python", label = "Sampled p50 vs other")
    public void sampled() {
    }

    @Benchmark
    @Versus(jdk = "missing")
    public void orphan() {
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    public void pong() {
    }

    @Benchmark
    @Group("pingPong")
    @GroupThreads(1)
    @Versus(jdk = "jdkPingPong", label = "Ping-pong")
    public void ping() {
    }

    @Benchmark
    @Group("jdkPingPong")
    public void jdkPing() {
    }

    @Benchmark
    @Group("jdkPingPong")
    public void jdkPong() {
    }

    /** JMH writes a nested benchmark class as {@code Outer.Inner}. */
    public static class Nested {
        @Benchmark
        @Versus(jdk = "base")
        public void mine() {
        }

        @Benchmark
        public void base() {
        }
    }
}
