package org.attentionanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PseudonymKeyTest {
    @TempDir
    Path dir;

    @Test
    void generatesHexKeyWithOwnerOnlyAccessThenReusesIt() throws IOException {
        Path state = dir.resolve("state");
        PseudonymKey.Location first = PseudonymKey.resolve(null, Map.of(), state);
        Path file = state.resolve("pseudonym.key").toAbsolutePath();
        assertThat(first.file()).isEqualTo(file);
        assertThat(first.description()).contains(file.toString()).contains("generated now");
        String key = Files.readString(file);
        assertThat(key).matches("[0-9a-f]{64}\n");
        assertThat(first.description()).doesNotContain(key.trim());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");

        PseudonymKey.Location second = PseudonymKey.resolve(null, Map.of(), state);
        assertThat(second.file()).isEqualTo(file);
        assertThat(second.description()).contains("reused");
        assertThat(Files.readString(file)).isEqualTo(key);
    }

    @Test
    void givenFileWinsOverEnvironmentWhichWinsOverGenerating() throws IOException {
        Path given = Files.writeString(dir.resolve("my.key"), "secret\n");
        assertThat(PseudonymKey.resolve(given.toString(), Map.of(PseudonymKey.ENV, "x"), dir)
                        .file())
                .isEqualTo(given.toAbsolutePath());

        PseudonymKey.Location env = PseudonymKey.resolve(null, Map.of(PseudonymKey.ENV, "x"), dir.resolve("s"));
        assertThat(env.file()).isNull();
        assertThat(env.description()).isEqualTo("environment variable ATTENTION_PSEUDONYM_KEY");
        assertThat(dir.resolve("s")).doesNotExist();
    }

    @Test
    void refusesMissingOrEmptyKeyFiles() throws IOException {
        assertThatThrownBy(() -> PseudonymKey.resolve(dir.resolve("nope").toString(), Map.of(), dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not exist");
        Path empty = Files.createFile(dir.resolve("empty.key"));
        assertThatThrownBy(() -> PseudonymKey.resolve(empty.toString(), Map.of(), dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is empty");
    }
}
