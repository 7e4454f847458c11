package io.github.pyconcurrent.multiprocessing;

import java.util.concurrent.TimeUnit;

/**
 * A user's program for {@link ClassDataCacheTest}: starts a child, waits until the class-data
 * cache is settled (trained, found, or given up), starts another and prints what happened.
 */
public final class ClassDataProgram {
    private ClassDataProgram() {}

    public static void main(String[] args) throws Exception {
        Multiprocessing.setStartMethod("spawn");
        Process first = new Process(() -> System.out.println("first child ran"));
        first.start();
        first.join();
        boolean archive = ChildLauncher.get().cachesSettled.get(120, TimeUnit.SECONDS);
        Process second = new Process(() -> System.out.println("second child ran, JNA from "
                + System.getProperty(JnaDispatchLibrary.BOOT_PATH_PROPERTY)));
        second.start();
        second.join();
        System.out.println("archive " + archive + " exit codes " + first.exitCode() + " " + second.exitCode()
                + " second pid " + second.pid());
    }
}
