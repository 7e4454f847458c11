package io.github.pyconcurrent.cluster;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A class arrived from the cluster that its deserialization allowlist does not admit (see
 * {@link Cluster}): the message names the class and the {@link ClusterOptions} call that admits
 * it, e.g. {@code allowPackages("probe")}. A lambda arrives with the class that wrote it, which is
 * the one named then. Replaces Hazelcast's {@code HazelcastSerializationException: SecurityException:
 * Resolving class probe.P09 is not allowed}, which names no fix. Python's pickle has no allowlist
 * (it loads any class): this is the deliberate difference.
 */
public final class ClassNotAllowedException extends SecurityException {
    private static final long serialVersionUID = 1L;
    /** Hazelcast's SerializationClassNameFilter's message. */
    private static final Pattern REFUSED = Pattern.compile("Resolving class (\\S+) is not allowed\\.?");

    /** The class the allowlist refused. */
    private final String className;

    ClassNotAllowedException(String className, Throwable cause) {
        super(message(className), cause);
        this.className = className;
    }

    /**
     * The class the allowlist refused.
     *
     * @return the refused class's name
     */
    public String className() {
        return className;
    }

    private static String message(String className) {
        int dot = className.lastIndexOf('.');
        String admit = dot < 0
                ? "allowClasses(\"" + className + "\")"
                : "allowPackages(\"" + className.substring(0, dot) + "\") (or allowClasses(\"" + className + "\"))";
        return "class " + className + " may not be deserialized from the cluster: it is not on the allowlist."
                + " Admit it with ClusterOptions.builder()." + admit
                + " in the options of every member and client that reads it (a lambda brings the class that wrote it)";
    }

    /** The allowlist's refusal within {@code t}'s causes, or null. */
    static ClassNotAllowedException of(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClassNotAllowedException done) {
                return done;
            }
            if (c instanceof SecurityException && c.getMessage() != null) {
                Matcher m = REFUSED.matcher(c.getMessage());
                if (m.find()) {
                    return new ClassNotAllowedException(m.group(1), t);
                }
            }
        }
        return null;
    }

    /** {@code t}, or the allowlist's refusal within it as a ClassNotAllowedException. */
    static Throwable translated(Throwable t) {
        ClassNotAllowedException e = of(t);
        return e == null ? t : e;
    }

    /**
     * {@code target} behind a proxy of {@code type} whose every call throws ClassNotAllowedException
     * for the allowlist's refusal, and what {@code target} threw otherwise: one place for every
     * method of a Hazelcast map or queue.
     */
    @SuppressWarnings("unchecked")
    static <T> T guarded(Class<T> type, T target) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                ClassNotAllowedException refused = of(cause);
                throw refused != null ? refused : cause;
            }
        });
    }
}
