package org.attentionanalytics.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * Finds or makes the pseudonym key of a local run (DESIGN.md section 9): {@code
 * --pseudonym-key-file} if given, else the environment variable {@value #ENV}, else the file
 * {@value #FILE_NAME} in the state directory, generated on first use (32 bytes from {@link
 * SecureRandom}, written as 64 lowercase hex characters and a newline, file mode 600 where the file
 * system supports POSIX permissions) and reused afterwards, so pseudonyms stay the same from run to
 * run. The key itself is never returned or printed: only where it is.
 */
public final class PseudonymKey {
    /** Environment variable whose UTF-8 bytes are the key. */
    public static final String ENV = "ATTENTION_PSEUDONYM_KEY";
    /** Name of the generated key file in the state directory. */
    public static final String FILE_NAME = "pseudonym.key";

    private static final int KEY_BYTES = 32;

    /**
     * Where the key is.
     *
     * @param file the key file the job must read ({@code --pseudonym-key-file}), or null when the
     *     key comes from {@value #ENV}
     * @param description for the user, e.g. {@code generated, in /home/me/.attention/pseudonym.key}
     */
    public record Location(Path file, String description) {}

    private PseudonymKey() {}

    /**
     * @param keyFile the {@code --pseudonym-key-file} option, or null
     * @param env the environment (normally {@code System.getenv()})
     * @param stateDir where a generated key lives; created if missing
     * @throws IOException when a given key file is missing or empty, or the key cannot be written
     */
    public static Location resolve(String keyFile, Map<String, String> env, Path stateDir) throws IOException {
        if (keyFile != null) {
            Path file = Path.of(keyFile).toAbsolutePath();
            requireNonEmpty(file);
            return new Location(file, "file " + file + " (--pseudonym-key-file)");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new Location(null, "environment variable " + ENV);
        }
        Path file = stateDir.resolve(FILE_NAME).toAbsolutePath();
        if (Files.exists(file)) {
            requireNonEmpty(file);
            return new Location(file, "file " + file + " (generated earlier, reused)");
        }
        generate(file);
        return new Location(file, "file " + file + " (generated now; keep it to get the same pseudonyms next time)");
    }

    private static void generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] content = (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            return; // another run made it a moment ago: use that one
        }
        Files.write(file, content);
    }

    private static void requireNonEmpty(Path file) throws IOException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IOException("pseudonym key file " + file + " does not exist or is not readable");
        }
        if (Files.size(file) == 0) {
            throw new IOException("pseudonym key file " + file + " is empty");
        }
    }
}
