package ai.ratelimiter.http;

import ai.ratelimiter.limits.Limits;
import java.util.regex.Pattern;

/** Checks shared by every request body: token counts, ids and free-text labels. */
public final class Fields {

    /** Request ids: printable, no spaces, as clients use for idempotency keys. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,128}");
    private static final int MAX_LABEL_LENGTH = 256;

    private Fields() {
    }

    /** A required token count between 0 and 2^53 - 1. */
    public static long requireTokens(String field, Long value) {
        if (value == null) {
            throw ApiException.invalidField(field, field + " is required");
        }
        return requireTokenRange(field, value);
    }

    /** An optional token count between 0 and 2^53 - 1; absent counts as 0. */
    public static long optionalTokens(String field, Long value) {
        return value == null ? 0 : requireTokenRange(field, value);
    }

    private static long requireTokenRange(String field, long value) {
        if (value < 0 || value > Limits.MAX_VALUE) {
            throw ApiException.invalidField(field, field + " must be between 0 and " + Limits.MAX_VALUE);
        }
        return value;
    }

    /** An optional request id; {@code null} when absent. */
    public static String optionalRequestId(String value) {
        if (value != null && !REQUEST_ID.matcher(value).matches()) {
            throw ApiException.invalidField("requestId",
                    "requestId must be 1 to 128 characters from A-Z a-z 0-9 . _ : @ / + = -");
        }
        return value;
    }

    /** An optional label such as a model or user id: at most 256 characters, no control characters. */
    public static String optionalLabel(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.isEmpty() || value.length() > MAX_LABEL_LENGTH
                || value.chars().anyMatch(Character::isISOControl) || hasLoneSurrogate(value)) {
            throw ApiException.invalidField(field,
                    field + " must be 1 to " + MAX_LABEL_LENGTH
                            + " characters without control characters or unpaired surrogates");
        }
        return value;
    }

    /** A lone UTF-16 surrogate cannot be stored as text: Postgres would keep a "?" instead. */
    private static boolean hasLoneSurrogate(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
