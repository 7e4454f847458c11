import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Build step (run by exec-maven-plugin in primitives-shared's process-classes phase, as a JEP 330
 * single-file program): pre-compiles the value classes Chronicle Map would otherwise generate and
 * compile with in-process javac in every new JVM that opens a map.
 *
 * <p>Why: Chronicle Values looks a {@code Foo$$Native} class up by name before generating it, so
 * a copy compiled at build time and shipped in our jar saves a fresh JVM most of the cost of
 * opening a map (javac is the bulk of it). The source comes from Chronicle's own generator
 * ({@code net.openhft.chronicle.values.Generators}, package-private, reached by reflection), so it
 * always matches the Chronicle version on the classpath; if a Chronicle upgrade renames it, this
 * build step fails loudly rather than silently losing the speed-up.
 *
 * <p>Usage: {@code java <jvm flags> -cp <compile classpath> GenerateChronicleNatives.java
 * <source output dir> <class output dir> <value interface>...}
 */
public final class GenerateChronicleNatives {
    public static void main(String[] args) throws Exception {
        Path sourceDir = Path.of(args[0]);
        Path classDir = Path.of(args[1]);
        Class<?> valueModel = Class.forName("net.openhft.chronicle.values.ValueModel");
        Method acquire = valueModel.getMethod("acquire", Class.class);
        Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod("generateNativeClass", valueModel, String.class);
        generate.setAccessible(true);
        for (int i = 2; i < args.length; i++) {
            Class<?> valueInterface = Class.forName(args[i]);
            String simpleName = valueInterface.getSimpleName() + "$$Native";
            String source = (String) generate.invoke(null, acquire.invoke(null, valueInterface), simpleName);
            Path file = sourceDir.resolve(valueInterface.getPackageName().replace('.', '/'))
                    .resolve(simpleName + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            compile(file, classDir);
        }
    }

    private static void compile(Path source, Path classDir) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Files.createDirectories(classDir);
        int rc = javac.run(null, null, null, List.of(
                "-nowarn", "-proc:none", "--release", "21",
                "-cp", System.getProperty("java.class.path"),
                "-d", classDir.toString(), source.toString()).toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("javac failed on " + source);
        }
    }
}
