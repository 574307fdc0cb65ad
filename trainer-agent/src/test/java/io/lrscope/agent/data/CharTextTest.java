package io.lrscope.agent.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTextTest {

    @TempDir
    Path dir;

    @Test
    void bundledSampleCutsIntoNonOverlappingWindowsWithATenPercentValidationSplit() {
        CharText.Windows windows = CharText.windows(null, 64);

        assertThat(windows.name()).isEqualTo(CharText.SAMPLE_NAME);
        int rows = windows.trainRows() + windows.validationRows();
        assertThat(rows).isBetween(4500, 4700); // ~300 KB / 65 characters
        assertThat(windows.validationRows()).isEqualTo(Math.round(rows * 0.1f));
        assertThat(windows.vocabularySize()).isBetween(60, 96); // printable ASCII and newline
        assertThat(Arrays.stream(windows.train()).max().getAsInt())
                .isEqualTo(windows.vocabularySize() - 1);
    }

    @Test
    void vocabularyIsEveryCodePointInOrderAndUtf8IsDecoded() throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "héllo wörld ".repeat(40));

        CharText.Windows windows = CharText.windows(text, 9);

        assertThat(windows.vocabulary()).containsExactly(' ', 'd', 'h', 'l', 'o', 'r', 'w',
                'é', 'ö');
        assertThat(windows.trainRows() + windows.validationRows()).isEqualTo(48); // 480 / 10
    }

    @Test
    void splitIsFixedAcrossLoads() throws IOException {
        Path text = Files.writeString(dir.resolve("t.txt"), "abcdefghij".repeat(200));
        Path copy = Files.writeString(dir.resolve("u.txt"), "abcdefghij".repeat(200));

        assertThat(CharText.windows(text, 16).validation())
                .containsExactly(CharText.windows(copy, 16).validation());
    }

    @Test
    void missingTooShortOrNonUtf8TextIsRejected() throws IOException {
        Path shortText = Files.writeString(dir.resolve("s.txt"), "tiny");
        Path binary = Files.write(dir.resolve("b.bin"), new byte[] {(byte) 0xff, (byte) 0xfe});

        assertThatThrownBy(() -> CharText.windows(dir.resolve("none.txt"), 64))
                .hasMessage("text=" + dir.resolve("none.txt") + ": no such file");
        assertThatThrownBy(() -> CharText.windows(shortText, 64))
                .hasMessageContaining("4 characters make only 0 windows");
        assertThatThrownBy(() -> CharText.windows(binary, 64))
                .hasMessage("text=" + binary + ": not UTF-8 text");
        assertThatThrownBy(() -> CharText.windows(null, 1))
                .hasMessage("sequenceLength=1: must be in 2..4096");
    }
}
