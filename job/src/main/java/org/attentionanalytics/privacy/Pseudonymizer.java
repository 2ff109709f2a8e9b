package org.attentionanalytics.privacy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Pseudonyms of user ids, DESIGN.md section 9: the first 16 bytes of HMAC-SHA256(key, user_id as
 * UTF-8), as 32 lowercase hex characters. Deterministic for one key, so a user's state and
 * outputs stay together; an application that holds the key can compute its own users' pseudonyms.
 *
 * <p>Not thread-safe (one {@link Mac} per instance): create one per task. The key is never logged
 * and never part of {@link #toString()}.
 */
public final class Pseudonymizer {
    /** Environment variable holding the key as UTF-8 text, used when no key file is given. */
    public static final String KEY_ENV = "ATTENTION_PSEUDONYM_KEY";

    private final Mac mac;

    /** @param key the HMAC key bytes; must not be empty */
    public Pseudonymizer(byte[] key) {
        if (key.length == 0) {
            throw new IllegalArgumentException("the pseudonym key is empty");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** @return the pseudonym of {@code userId}: 32 lowercase hex characters */
    public String pseudonym(String userId) {
        byte[] h = mac.doFinal(userId.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, 16);
    }

    /**
     * Loads the key: the bytes of {@code keyFile} with one trailing newline stripped, else the UTF-8
     * bytes of {@value #KEY_ENV}.
     *
     * @param keyFile path of the key file, or null to use the environment
     * @throws IllegalArgumentException when neither is set, the file is unreadable, or the key is empty
     */
    public static byte[] loadKey(String keyFile) {
        byte[] key;
        if (keyFile != null && !keyFile.isBlank()) {
            try {
                key = Files.readAllBytes(Path.of(keyFile));
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "cannot read the pseudonym key file " + keyFile + ": " + e.getMessage(), e);
            }
            if (key.length > 0 && key[key.length - 1] == '\n') {
                key = Arrays.copyOf(key, key.length - 1);
            }
        } else {
            String env = System.getenv(KEY_ENV);
            if (env == null || env.isEmpty()) {
                throw new IllegalArgumentException(
                        "no pseudonym key: pass --pseudonym-key-file FILE or set " + KEY_ENV);
            }
            key = env.getBytes(StandardCharsets.UTF_8);
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("the pseudonym key is empty");
        }
        return key;
    }

    @Override
    public String toString() {
        return "Pseudonymizer[HMAC-SHA256, key hidden]";
    }
}
