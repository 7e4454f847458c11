package io.github.pyconcurrent.multiprocessing;

import java.util.List;

/**
 * A user's first {@link Pool} program, as the README shows it, for {@link LaunchStylesTest}: its
 * function is a method of this class, so a worker can run it only if it can load this class, that
 * is, only if it got the class path the parent's code came from.
 */
public final class PoolProgram {
    private PoolProgram() {}

    static int square(int x) {
        return x * x;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            Multiprocessing.setStartMethod(args[0]);
        }
        System.out.println("loaded by the system class loader: "
                + (PoolProgram.class.getClassLoader() == ClassLoader.getSystemClassLoader()));
        try (Pool pool = new Pool(2)) {
            System.out.println("squares " + pool.map(PoolProgram::square, List.of(1, 2, 3, 4)));
        }
    }
}
