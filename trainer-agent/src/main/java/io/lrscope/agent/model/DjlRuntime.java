package io.lrscope.agent.model;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles how DJL's PyTorch engine loads, before anything touches it: never download
 * ({@code ai.djl.offline=true}, the native libraries come from the pytorch-native-cpu jar), one
 * intra-op and one inter-op thread (on a shared 2-core box more threads were slower), and a
 * native-library cache that follows {@code $HOME}.
 *
 * <p>Java's {@code user.home} comes from the password database, not from {@code $HOME}, so DJL's
 * default cache ignores {@code HOME=/somewhere}; when neither {@code ENGINE_CACHE_DIR} nor
 * {@code DJL_CACHE_DIR} is set, this points it at {@code $HOME/.djl.ai} (and JNA's temp folder
 * at its {@code jna} subfolder). Every setting given explicitly (system property or environment)
 * wins.
 */
public final class DjlRuntime {

    private static boolean configured;

    private DjlRuntime() {}

    /** Idempotent; call before the first NDManager is created. */
    public static synchronized void configure() {
        if (configured) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        if (absent("ENGINE_CACHE_DIR") && absent("DJL_CACHE_DIR")) {
            String home = System.getenv("HOME");
            Path base = home == null || home.isBlank()
                    ? Paths.get(System.getProperty("user.home"))
                    : Paths.get(home);
            System.setProperty("ENGINE_CACHE_DIR", base.resolve(".djl.ai").toString());
        }
        String cache = System.getProperty("ENGINE_CACHE_DIR", System.getenv("ENGINE_CACHE_DIR"));
        if (cache != null) {
            // JNA (used by DJL) would otherwise unpack into user.home/.cache/JNA.
            setIfAbsent("jna.tmpdir", Paths.get(cache, "jna").toString());
        }
        quietGpuProbe();
        configured = true;
    }

    /**
     * DJL's CUDA probe logs "Failed to detect GPU count" at WARN on every CPU-only machine with a
     * CUDA runtime around; nobody can act on it. With Logback as the SLF4J binding and no level
     * configured for that logger, raise it to ERROR; any other binding or configuration is left
     * alone (reflection keeps Logback out of this module's compile dependencies).
     */
    private static void quietGpuProbe() {
        Logger logger = LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils");
        Class<?> type = logger.getClass();
        if (!type.getName().equals("ch.qos.logback.classic.Logger")) {
            return;
        }
        try {
            Class<?> level = Class.forName("ch.qos.logback.classic.Level", true,
                    type.getClassLoader());
            if (type.getMethod("getLevel").invoke(logger) == null) {
                type.getMethod("setLevel", level).invoke(logger, level.getField("ERROR").get(null));
            }
        } catch (ReflectiveOperationException | LinkageError e) {
            // not the Logback we know: its configuration decides
        }
    }

    /**
     * Runs {@code body} with autograd recording off, as PyTorch's {@code torch.no_grad()}. In-place
     * updates of weights need it: PyTorch's grad mode is per thread and on by default, so a
     * sweep on a fresh thread would otherwise fail ("a leaf Variable that requires grad is being
     * used in an in-place operation").
     */
    public static <T> T withoutGrad(Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }

    /** {@link #withoutGrad(Supplier)} for a body without a result. */
    public static void withoutGrad(Runnable body) {
        withoutGrad(() -> {
            body.run();
            return null;
        });
    }

    private static boolean absent(String key) {
        return System.getProperty(key) == null && System.getenv(key) == null;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
