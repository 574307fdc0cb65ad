package io.lrscope.agent.model;

import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Supplier;

/**
 * Settles how DJL's PyTorch engine loads, before anything touches it: never download
 * ({@code ai.djl.offline=true}, the native libraries come from the pytorch-native-cpu jar), one
 * intra-op and one inter-op thread (on a shared 2-core box more threads were slower), and a
 * native-library cache that follows {@code $HOME}.
 *
 * <p>Java's {@code user.home} comes from the password database, not from {@code $HOME}, so DJL's
 * default cache ignores {@code HOME=/somewhere}; when neither {@code ENGINE_CACHE_DIR} nor
 * {@code DJL_CACHE_DIR} is set, this points it at {@code $HOME/.djl.ai}. Every setting given
 * explicitly (system property or environment) wins.
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
        configured = true;
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
