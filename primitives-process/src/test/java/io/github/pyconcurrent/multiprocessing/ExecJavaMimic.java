package io.github.pyconcurrent.multiprocessing;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Launches a program as {@code mvn exec:java} does (exec-maven-plugin 3.5): the program's class
 * path goes into a {@link URLClassLoader} whose parent is the system class loader, which becomes
 * the context class loader of the thread that runs {@code main}; {@code java.class.path} holds
 * only the launcher (Maven's plexus-classworlds there, this class here). Uses nothing but the JDK,
 * so it can run from a directory of its own. Arguments: the class path, the main class, its
 * arguments.
 */
public final class ExecJavaMimic {
    private ExecJavaMimic() {}

    public static void main(String[] args) throws Exception {
        String[] entries = args[0].split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++) {
            urls[i] = Path.of(entries[i]).toUri().toURL();
        }
        URLClassLoader loader = new URLClassLoader(urls);
        Throwable[] failure = new Throwable[1];
        Thread main = new Thread(() -> {
            try {
                Class.forName(args[1], true, loader).getMethod("main", String[].class)
                        .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "exec-main");
        main.setContextClassLoader(loader);
        main.start();
        main.join();
        if (failure[0] != null) {
            failure[0].printStackTrace();
            System.exit(1);
        }
    }
}
