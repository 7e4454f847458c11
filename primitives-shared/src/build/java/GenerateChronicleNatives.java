import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Build step (run by exec-maven-plugin in primitives-shared's process-classes phase, as a JEP 330
 * single-file program): pre-compiles the value classes Chronicle Map would otherwise generate and
 * compile with in-process javac in every new JVM that opens a map.
 *
 * <p>Why: Chronicle Values looks a {@code Foo$$Native} class up by name (in the value interface's
 * class loader) before generating it, so a copy compiled at build time and defined in that loader
 * before Chronicle looks saves a fresh JVM most of the cost of opening a map (javac is the bulk of
 * it). The source comes from Chronicle's own generator
 * ({@code net.openhft.chronicle.values.Generators}, package-private, reached by reflection), so it
 * always matches the Chronicle version on the classpath; if a Chronicle upgrade renames it, this
 * build step fails loudly rather than silently losing the speed-up.
 *
 * <p>The class belongs to Chronicle's package, and our jar must hold no class of another project's
 * package (a split package makes it unusable on the module path). So its bytes ship as a resource
 * of ours, {@code <resource dir>/<binary name>.bytes}, listed in {@code <resource dir>/index}, and
 * {@code ChronicleSupport} defines them in Chronicle's package at run time.
 *
 * <p>Usage: {@code java <jvm flags> -cp <compile classpath> GenerateChronicleNatives.java
 * <source output dir> <scratch class dir> <resource dir> <value interface>...}
 */
public final class GenerateChronicleNatives {
    public static void main(String[] args) throws Exception {
        Path sourceDir = Path.of(args[0]);
        Path classDir = Path.of(args[1]);
        Path resourceDir = Path.of(args[2]);
        Class<?> valueModel = Class.forName("net.openhft.chronicle.values.ValueModel");
        Method acquire = valueModel.getMethod("acquire", Class.class);
        Method generate = Class.forName("net.openhft.chronicle.values.Generators")
                .getDeclaredMethod("generateNativeClass", valueModel, String.class);
        generate.setAccessible(true);
        Files.createDirectories(resourceDir);
        StringBuilder index = new StringBuilder();
        for (int i = 3; i < args.length; i++) {
            Class<?> valueInterface = Class.forName(args[i]);
            String simpleName = valueInterface.getSimpleName() + "$$Native";
            String source = (String) generate.invoke(null, acquire.invoke(null, valueInterface), simpleName);
            Path file = sourceDir.resolve(valueInterface.getPackageName().replace('.', '/'))
                    .resolve(simpleName + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, source);
            compile(file, classDir);
            String binaryName = valueInterface.getPackageName() + "." + simpleName;
            Path compiled = classDir.resolve(binaryName.replace('.', '/') + ".class");
            Files.copy(compiled, resourceDir.resolve(binaryName + ".bytes"), StandardCopyOption.REPLACE_EXISTING);
            index.append(binaryName).append('\n');
        }
        Files.writeString(resourceDir.resolve("index"), index.toString());
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
