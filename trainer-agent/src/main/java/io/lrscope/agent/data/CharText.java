package io.lrscope.agent.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;

/**
 * A UTF-8 text cut into windows for a character-level language model: each window is
 * {@code length + 1} code points, the model reads the first {@code length} and predicts each
 * next one. Windows do not overlap; a fixed seed puts {@value #VALIDATION_PERCENT} % of them
 * in validation, so a sweep never trains on the text it is validated on.
 *
 * <p>The vocabulary is every distinct code point of the whole text, in code point order. With no
 * file the bundled sample is used: about 300 KB of The Jargon File 4.4.7 (public domain; see the
 * README next to it).
 */
public final class CharText {

    public static final String SAMPLE_NAME = "jargon-file-4.4.7-sample";
    public static final int VALIDATION_PERCENT = 10;
    static final long SPLIT_SEED = 20_240_603L;
    private static final String SAMPLE = "/io/lrscope/agent/data/jargon-sample.txt.gz";
    private static final Map<String, int[]> CODE_POINTS = new ConcurrentHashMap<>();

    /**
     * Windows of token ids, row-major: {@code train} has {@code trainRows() × (length + 1)}
     * ids, {@code validation} likewise.
     */
    public record Windows(String name, int[] vocabulary, int length, int[] train,
            int[] validation) {

        public int vocabularySize() {
            return vocabulary.length;
        }

        public int trainRows() {
            return train.length / (length + 1);
        }

        public int validationRows() {
            return validation.length / (length + 1);
        }
    }

    private CharText() {}

    /** The bundled sample (when {@code file} is null) or {@code file}, cut into windows. */
    public static Windows windows(Path file, int length) {
        if (length < 2 || length > 4096) {
            throw new IllegalArgumentException(
                    "sequenceLength=" + length + ": must be in 2..4096");
        }
        String name = file == null ? SAMPLE_NAME : file.getFileName().toString();
        int[] text = file == null ? sample() : read(file);
        int rows = text.length / (length + 1);
        if (rows < 10) {
            throw new IllegalArgumentException("text=" + file + ": " + text.length
                    + " characters make only " + rows + " windows of sequenceLength+1="
                    + (length + 1) + "; need at least 10");
        }
        TreeSet<Integer> distinct = new TreeSet<>();
        for (int c : text) {
            distinct.add(c);
        }
        int[] vocabulary = distinct.stream().mapToInt(Integer::intValue).toArray();
        int[] order = Digits.permutation(rows, new SplittableRandom(SPLIT_SEED));
        int validationRows = Math.max(1, Math.round(rows * VALIDATION_PERCENT / 100f));
        int trainRows = rows - validationRows;
        int width = length + 1;
        int[] train = new int[trainRows * width];
        int[] validation = new int[validationRows * width];
        for (int i = 0; i < rows; i++) {
            int[] target = i < trainRows ? train : validation;
            int at = (i < trainRows ? i : i - trainRows) * width;
            for (int j = 0; j < width; j++) {
                target[at + j] = Arrays.binarySearch(
                        vocabulary, text[order[i] * width + j]);
            }
        }
        return new Windows(name, vocabulary, length, train, validation);
    }

    private static int[] sample() {
        return CODE_POINTS.computeIfAbsent(SAMPLE, k -> {
            try (InputStream raw = CharText.class.getResourceAsStream(SAMPLE)) {
                if (raw == null) {
                    throw new IllegalStateException("bug: resource " + SAMPLE + " is missing");
                }
                return new String(new GZIPInputStream(raw).readAllBytes(),
                        StandardCharsets.UTF_8).codePoints().toArray();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + SAMPLE, e);
            }
        });
    }

    private static int[] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("text=" + file + ": no such file");
        }
        try {
            String key = file.toAbsolutePath().normalize() + "@"
                    + Files.getLastModifiedTime(file).toMillis();
            return CODE_POINTS.computeIfAbsent(key, k -> decode(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("text=" + file + ": cannot read: " + e);
        }
    }

    private static int[] decode(Path file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .codePoints().toArray();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text=" + file + ": not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("text=" + file + ": cannot read: " + e);
        }
    }
}
