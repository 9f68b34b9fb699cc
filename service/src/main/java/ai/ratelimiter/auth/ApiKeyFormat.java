package ai.ratelimiter.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of stored API keys, {@code airl_<id>_<secret>}: a 16-hex-digit public id by
 * which the key is looked up, and 64 hex digits (256 bits) of secret from {@link SecureRandom}.
 * Postgres keeps only the SHA-256 of the whole key. A slow password hash is not needed: it
 * protects guessable passwords, and 256 random bits cannot be guessed from a stolen hash at
 * any speed. Stateless and thread-safe.
 */
public final class ApiKeyFormat {

    /** The longest credential the service looks at; anything longer is refused unread. */
    public static final int MAX_LENGTH = 512;

    private static final String PREFIX = "airl_";
    private static final Pattern STORED = Pattern.compile("airl_([0-9a-f]{16})_[0-9a-f]{64}");
    private static final int ID_BYTES = 8;
    private static final int SECRET_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private ApiKeyFormat() {
    }

    /** A new key and its id. */
    public static NewKey generate(SecureRandom random) {
        String id = HEX.formatHex(randomBytes(random, ID_BYTES));
        String secret = HEX.formatHex(randomBytes(random, SECRET_BYTES));
        return new NewKey(id, PREFIX + id + "_" + secret);
    }

    /** The id of a key in the stored form; empty for anything else. */
    public static Optional<String> findId(String key) {
        if (key == null || key.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        Matcher matcher = STORED.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    /** The SHA-256 of the key's UTF-8 bytes, as stored in {@code ai_api_keys.key_sha256}. */
    public static byte[] sha256(String key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return digest.digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Compares two hashes in time that does not depend on where they differ. */
    public static boolean sameHash(byte[] expected, byte[] actual) {
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] randomBytes(SecureRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * A freshly generated key.
     *
     * @param id the public id, stored in clear
     * @param key the whole key, shown once to whoever created it and never stored
     */
    public record NewKey(String id, String key) {
    }
}
