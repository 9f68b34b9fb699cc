package ai.ratelimiter.http;

import java.util.regex.Pattern;

/** Validates organization ids taken from request paths. */
public final class OrganizationIds {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private OrganizationIds() {
    }

    public static boolean isValid(String orgId) {
        return orgId != null && VALID.matcher(orgId).matches();
    }

    /** Returns the id unchanged, or throws 400 naming {@code orgId}. */
    public static String requireValid(String orgId) {
        if (!isValid(orgId)) {
            throw ApiException.badRequest("orgId",
                    "orgId must be 1 to 128 characters from A-Z a-z 0-9 . _ : -");
        }
        return orgId;
    }
}
