package io.github.pyconcurrent.greenlet;

/**
 * Chooses the switching backend once per JVM. The system property
 * {@value #PROPERTY} forces one ({@code continuation} or {@code virtual-thread}); by default the
 * continuation backend is used when the JVM lets this code reach
 * {@code jdk.internal.vm.Continuation} (flag
 * {@code --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED}, listed in
 * {@code io.github.pyconcurrent.runtime.JvmFlags}), and the virtual-thread backend otherwise.
 */
final class Backends {
    static final String PROPERTY = "pyconcurrent.greenlet.backend";

    private Backends() {}

    static SwitchBackend select() {
        String forced = System.getProperty(PROPERTY, "").trim();
        switch (forced) {
            case "":
                return ContinuationBackend.UNAVAILABLE == null
                        ? new ContinuationBackend() : new VirtualThreadBackend();
            case ContinuationBackend.NAME:
                if (ContinuationBackend.UNAVAILABLE != null) {
                    throw new IllegalStateException(PROPERTY + "=" + forced
                            + " but jdk.internal.vm.Continuation is not usable; run the JVM with"
                            + " --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED",
                            ContinuationBackend.UNAVAILABLE);
                }
                return new ContinuationBackend();
            case VirtualThreadBackend.NAME:
                return new VirtualThreadBackend();
            default:
                throw new IllegalArgumentException(PROPERTY + " must be " + ContinuationBackend.NAME
                        + " or " + VirtualThreadBackend.NAME + ", not '" + forced + "'");
        }
    }
}
