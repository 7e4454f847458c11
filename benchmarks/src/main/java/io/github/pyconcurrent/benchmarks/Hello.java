package io.github.pyconcurrent.benchmarks;

/**
 * The floor of every child JVM: a {@code main} that prints one line and returns, run as
 * {@code java -cp <dir> io.github.pyconcurrent.benchmarks.Hello} with no option, from a temporary
 * directory holding only this class ({@link StartupProbe} copies it there from the benchmarks jar).
 * The startup rows' {@code bare_jvm_hello}; CPython's twin is {@code python3 -c "print(1)"}.
 * Depends on nothing but {@code java.base}, so that it loads what any JVM loads and no more.
 */
public final class Hello {
    private Hello() {}

    public static void main(String[] args) {
        System.out.println("hello");
    }
}
