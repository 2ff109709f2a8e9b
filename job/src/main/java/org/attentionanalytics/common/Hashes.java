package org.attentionanalytics.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small deterministic hashes used in per-user state and ids. */
public final class Hashes {
    private Hashes() {}

    /**
     * 64-bit FNV-1a of the string's UTF-16 code units; never 0 (0 means "no value" in state).
     * Used for item ids and event ids in state: with a few thousand values per user a collision is
     * about one in 10^12.
     */
    public static long fnv64(CharSequence s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /**
     * {@code session_id}: the first 16 bytes of SHA-256 of {@code "<pseudonym>/<start ms>"} as 32
     * lowercase hex characters, so the same session gets the same id across restarts and replays.
     */
    public static String sessionId(String pseudonym, long startMs) {
        return hex128(pseudonym + "/" + startMs);
    }

    /**
     * {@code session_id} of a client session ({@code --sessions client}): as {@link
     * #sessionId(String, long)} of {@code "<pseudonym>/<start ms>/<client session pseudonym>"}, so
     * two of a user's client sessions that start in the same ms get two ids.
     */
    public static String sessionId(String pseudonym, long startMs, String clientSession) {
        return hex128(pseudonym + "/" + startMs + "/" + clientSession);
    }

    /**
     * The {@code view_id} of a page view whose events gave none: the first 16 bytes of SHA-256 of
     * {@code "<pseudonym>/<item id or empty>/<start ms>/view"}, with {@code "/<occurrence>"} appended
     * for the second and later views of the same item starting at the same ms, as 32 lowercase hex
     * characters.
     *
     * @param occurrence 0 for the first view of this item at this start in its session, 1 for the next...
     */
    public static String viewId(String pseudonym, String itemId, long startMs, int occurrence) {
        String text = pseudonym + "/" + (itemId == null ? "" : itemId) + "/" + startMs + "/view";
        return hex128(occurrence == 0 ? text : text + "/" + occurrence);
    }

    /**
     * The {@code block_id} of a focus-block occurrence (DESIGN.md section 13): the first 16 bytes of
     * SHA-256 of {@code "<pseudonym>/<block name>/<occurrence start ms>/block"}, hex.
     */
    public static String blockId(String pseudonym, String blockName, long startMs) {
        return hex128(pseudonym + "/" + blockName + "/" + startMs + "/block");
    }

    /** @return the first 16 bytes of SHA-256 of {@code text} (UTF-8) as 32 lowercase hex characters */
    public static String hex128(String text) {
        byte[] d = SHA_256.get().digest(text.getBytes(StandardCharsets.UTF_8)); // digest() resets it
        return HEX.formatHex(d, 0, 16);
    }

    private static final HexFormat HEX = HexFormat.of();

    /** One digest per thread: looking the algorithm up cost as much as hashing a short id. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });
}
