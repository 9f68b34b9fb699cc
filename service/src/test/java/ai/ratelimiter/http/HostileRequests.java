package ai.ratelimiter.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generates requests that each carry at least one defect that must stop them before any state
 * changes: bad or missing credentials, a key without the right to the endpoint or organization,
 * a malformed body, an impossible path, or broken HTTP. Which one, and every detail, comes
 * from the {@link Random} passed in, so a seed reproduces a request exactly.
 */
final class HostileRequests {

    /** What is wrong with a request. */
    enum Defect { CREDENTIALS, RIGHTS, BODY, PATH, PROTOCOL }

    /**
     * Who the generated requests may name: the organizations whose state must not change, a
     * prefix for throw-away organizations, and keys of every kind.
     */
    record Targets(String orgA, String orgB, String throwAwayPrefix, String adminKey, String serviceKey,
            String orgAKey, String revokedKey, String wrongSecretKey, String unknownKey) {
    }

    /**
     * One request for an HTTP client, or (when {@code raw} is set) the exact bytes to write
     * to a socket.
     */
    record Request(Defect defect, String method, String path, List<String[]> headers, byte[] body,
            boolean chunked, byte[] raw, Set<Integer> allowed) {

        String describe() {
            String shownBody = body == null ? "-" : new String(body, StandardCharsets.UTF_8);
            String shownRaw = raw == null ? "" : " raw=" + new String(raw, StandardCharsets.ISO_8859_1);
            return defect + " " + method + " " + clip(path) + " body=" + clip(shownBody) + clip(shownRaw);
        }

        private static String clip(String text) {
            return text.length() > 160 ? text.substring(0, 160) + "...(" + text.length() + ")" : text;
        }
    }

    private static final String JSON = "application/json";
    private static final int MAX_BODY_BYTES = 16_384;
    /** Broken HTTP is refused by Jetty, or by the service if Jetty lets it through. */
    private static final Set<Integer> BROKEN_HTTP_ANSWERS = Set.of(400, 401, 404, 411, 413, 414, 422, 431);

    private static final String[] ENDPOINTS = {
        "POST /checks", "GET /status", "GET /limits", "PUT /limits", "DELETE /limits",
        "POST /usage", "GET /usage/stats"};

    private final Targets targets;

    HostileRequests(Targets targets) {
        this.targets = targets;
    }

    Request next(Random random) {
        int pick = random.nextInt(100);
        if (pick < 25) {
            return badCredentials(random);
        } else if (pick < 40) {
            return missingRights(random);
        } else if (pick < 72) {
            return badBody(random);
        } else if (pick < 90) {
            return badPath(random);
        }
        return brokenHttp(random);
    }

    // ---- credentials: nothing valid reaches the resource, whatever the body.

    private Request badCredentials(Random random) {
        String endpoint = oneOf(random, ENDPOINTS);
        String orgId = usableOrg(random);
        List<String[]> headers = new ArrayList<>();
        String query = "";
        Set<Integer> allowed = Set.of(401, 404);
        switch (random.nextInt(14)) {
            case 0 -> { }
            case 1 -> headers.add(auth("Basic " + targets.adminKey()));
            case 2 -> headers.add(auth("Bearer"));
            case 3 -> headers.add(auth("Bearer "));
            case 4 -> headers.add(auth("Bearer " + randomText(random, 1 + random.nextInt(80), PRINTABLE)));
            case 5 -> headers.add(auth("Bearer " + targets.wrongSecretKey()));
            case 6 -> headers.add(auth("Bearer " + targets.unknownKey()));
            case 7 -> headers.add(auth("Bearer " + targets.revokedKey()));
            case 8 -> headers.add(auth("Bearer " + targets.adminKey() + "x"));
            case 9 -> headers.add(auth("Bearer " + targets.adminKey().substring(1)));
            case 10 -> headers.add(auth("Bearer " + "a".repeat(513 + random.nextInt(3000))));
            case 11 -> {
                headers.add(auth("Bearer " + targets.adminKey()));
                headers.add(auth("Bearer " + targets.unknownKey()));
            }
            case 12 -> query = "?access_token=" + targets.adminKey();
            default -> {
                headers.add(auth("Bearer " + "k".repeat(9_000 + random.nextInt(20_000))));
                allowed = Set.of(401, 404, 431);
            }
        }
        return jsonRequest(Defect.CREDENTIALS, endpoint, orgId, query, headers, validBody(endpoint),
                allowed);
    }

    // ---- rights: a valid key that may not call this endpoint for this organization.

    private Request missingRights(Random random) {
        String key;
        String endpoint;
        String orgId;
        switch (random.nextInt(3)) {
            case 0 -> {
                key = targets.serviceKey();
                endpoint = oneOf(random, "GET /status", "GET /limits", "PUT /limits", "DELETE /limits");
                orgId = usableOrg(random);
            }
            case 1 -> {
                key = targets.orgAKey();
                endpoint = oneOf(random, "PUT /limits", "DELETE /limits");
                orgId = targets.orgA();
            }
            default -> {
                key = targets.orgAKey();
                endpoint = oneOf(random, ENDPOINTS);
                orgId = random.nextBoolean() ? targets.orgB() : throwAwayOrg(random);
            }
        }
        List<String[]> headers = new ArrayList<>();
        headers.add(auth("Bearer " + key));
        return jsonRequest(Defect.RIGHTS, endpoint, orgId, "", headers, validBody(endpoint),
                Set.of(403, 404));
    }

    // ---- bodies: an authorized caller with a body that must be refused.

    private Request badBody(Random random) {
        String endpoint = oneOf(random, "POST /checks", "PUT /limits", "POST /usage");
        String key = endpoint.equals("PUT /limits") ? targets.adminKey()
                : oneOf(random, targets.adminKey(), targets.serviceKey(), targets.orgAKey());
        String orgId = key.equals(targets.orgAKey()) ? targets.orgA() : usableOrg(random);
        List<String[]> headers = new ArrayList<>();
        headers.add(auth("Bearer " + key));

        if (random.nextInt(10) == 0) {
            // A JSON body under another media type: refused with 400 naming Content-Type (or 415).
            headers.add(new String[] {"Content-Type", oneOf(random, "text/plain", "application/xml",
                    "application/x-www-form-urlencoded", "image/png")});
            return new Request(Defect.BODY, method(endpoint), path(endpoint, orgId), headers,
                    bytes(validBody(endpoint)), false, null, Set.of(400, 404, 415));
        }
        headers.add(new String[] {"Content-Type", JSON});
        byte[] body = endpoint.equals("PUT /limits") ? badLimitsBody(random)
                : badCheckOrUsageBody(random, endpoint);
        boolean chunked = random.nextInt(4) == 0;
        return new Request(Defect.BODY, method(endpoint), path(endpoint, orgId), headers, body, chunked,
                null, Set.of(400, 404, 413, 422));
    }

    private byte[] badCheckOrUsageBody(Random random, String endpoint) {
        String field = endpoint.equals("POST /checks") ? "estimatedTokens" : "inputTokens";
        String valid = validBody(endpoint);
        switch (random.nextInt(12)) {
            case 0:
                return bytes("{\"" + field + "\":" + badNumber(random) + rest(endpoint) + "}");
            case 1:
                return bytes(valid.substring(0, random.nextInt(valid.length())));
            case 2:
                String check = "{\"estimatedTokens\":" + random.nextInt(1000) + "}";
                return bytes(insertBreakingCharacter(random, check));
            case 3:
                // An empty object lacks a check's required estimate; a usage record's rules may differ.
                String empty = endpoint.equals("POST /checks") ? "{}" : "[]";
                return bytes(oneOf(random, "null", "[]", "[{}]", "\"text\"", "42", "true", empty, "",
                        "{\"estimatedTokens\":1}{}", "{\"estimatedTokens\":1} x"));
            case 4:
                return bytes(valid.substring(0, valid.length() - 1) + ",\"" + randomText(random, 6, LETTERS)
                        + "z\":1}");
            case 5:
                return bytes(valid.substring(0, valid.length() - 1) + ",\"" + field + "\":1}");
            case 6:
                return bytes(valid.substring(0, valid.length() - 1) + ",\"requestId\":\""
                        + oneOf(random, "", "a b", "x".repeat(129), "\\u0000", "ключ", "{id}") + "\"}");
            case 7:
                return bytes(valid.substring(0, valid.length() - 1) + ",\"userId\":\""
                        + oneOf(random, "", "u".repeat(257), "\\u0007bell", "tab\\there") + "\"}");
            case 8:
                String huge = "p".repeat(MAX_BODY_BYTES + random.nextInt(50_000));
                return bytes("{\"" + field + "\":1,\"userId\":\"" + huge + "\"}");
            case 9:
                return bytes("{\"" + field + "\":" + "[".repeat(2_000 + random.nextInt(8_000)));
            case 10:
                byte[] garbage = new byte[1 + random.nextInt(400)];
                random.nextBytes(garbage);
                garbage[0] = (byte) 0xff;
                return garbage;
            default:
                return bytes("{\"" + field + "\":1" + rest(endpoint) + ",\"model\":"
                        + oneOf(random, "[]", "{}", "[\"gpt\"]", "{\"name\":\"gpt\"}") + "}");
        }
    }

    private byte[] badLimitsBody(Random random) {
        String[] fields = {"requestsPerMinute", "tokensPerMinute", "requestsPerDay", "tokensPerDay"};
        int broken = random.nextInt(fields.length);
        boolean omit = random.nextInt(5) == 0;
        List<String> members = new ArrayList<>();
        for (int i = 0; i < fields.length; i++) {
            if (i != broken) {
                members.add("\"" + fields[i] + "\":" + random.nextInt(1000));
            } else if (!omit) {
                members.add("\"" + fields[i] + "\":" + badNumber(random));
            }
        }
        String text = "{" + String.join(",", members) + "}";
        return switch (random.nextInt(6)) {
            case 0 -> bytes(text.substring(0, random.nextInt(text.length())));
            case 1 -> bytes(text.substring(0, text.length() - 1) + ",\"burst\":5}");
            default -> bytes(text);
        };
    }

    // ---- paths: impossible organization ids, unknown routes, wrong methods.

    private Request badPath(Random random) {
        String endpoint = oneOf(random, ENDPOINTS);
        List<String[]> headers = new ArrayList<>();
        headers.add(auth("Bearer " + targets.adminKey()));
        switch (random.nextInt(3)) {
            case 0 -> {
                String path = "/v1/orgs/" + badOrgId(random) + suffix(endpoint);
                return new Request(Defect.PATH, method(endpoint), path, withJson(headers),
                        bytesOrNull(endpoint), false, null, Set.of(400, 404, 414, 431));
            }
            case 1 -> {
                String orgId = usableOrg(random);
                String org = "/v1/orgs/" + orgId;
                String path = oneOf(random, org + "/CHECKS", org + "/checks/x",
                        "/v2/orgs/" + orgId + "/checks", "/v1/orgs", org, "/", "/admin",
                        org + "/limits/extra", "/healthcheck", "/metrics");
                return new Request(Defect.PATH, method(endpoint), path, withJson(headers),
                        bytesOrNull(endpoint), false, null, Set.of(404, 405));
            }
            default -> {
                String orgId = usableOrg(random);
                String[] wrong = {"PATCH /limits", "POST /limits", "DELETE /checks", "GET /checks",
                    "PUT /status", "DELETE /status", "PUT /checks"};
                String pick = oneOf(random, wrong);
                return new Request(Defect.PATH, method(pick), path(pick, orgId), withJson(headers),
                        bytes(validBody("PUT /limits")), false, null, Set.of(405));
            }
        }
    }

    private String badOrgId(Random random) {
        return switch (random.nextInt(10)) {
            case 0 -> "a".repeat(129 + random.nextInt(200));
            case 1 -> "b".repeat(2_000 + random.nextInt(30_000));
            case 2 -> "%D0%BA%D0%BB%D1%8E%D1%87";
            case 3 -> "org%20" + random.nextInt(1000);
            case 4 -> "org%2F" + random.nextInt(1000);
            case 5 -> "%00";
            case 6 -> "org%3Bx%3D1";
            case 7 -> "%F0%9F%98%80";
            case 8 -> "org%25" + random.nextInt(100);
            default -> "org" + oneOf(random, "%22", "%27", "%3C", "%3E", "%5C", "%7B", "%7C", "%60",
                    "!", "$", "*");
        };
    }

    // ---- broken HTTP, written byte for byte to a socket.

    private Request brokenHttp(Random random) {
        String orgId = usableOrg(random);
        String line = "/v1/orgs/" + orgId + "/checks";
        String key = random.nextBoolean() ? targets.adminKey() : targets.unknownKey();
        String badBody = "{\"estimatedTokens\":-" + (1 + random.nextInt(1000)) + "}";
        String head = switch (random.nextInt(10)) {
            case 0 -> "POST " + line + "/%zz HTTP/1.1\r\n";
            case 1 -> "POST /v1/orgs/ключ/checks HTTP/1.1\r\n";
            case 2 -> "POST " + line + " HTTP/9.9\r\n";
            case 3 -> "P\u00d6ST " + line + " HTTP/1.1\r\n";
            case 4 -> "POST " + line + " HTTP/1.1\r\nX-Broken-Header-Without-Colon\r\n";
            case 5 -> "POST " + line + " HTTP/1.1\r\nX-Nul: a\u0000b\r\n";
            case 6 -> "POST " + line + " HTTP/1.1\r\nX-Huge: " + "h".repeat(20_000) + "\r\n";
            case 7 -> "POST " + line + " HTTP/1.1\r\nContent-Length: -5\r\n";
            case 8 -> "POST " + line + " HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 40\r\n";
            default -> "POST " + line + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n";
        };
        String tail = head.contains("chunked") ? "zz\r\n" + badBody + "\r\n0\r\n\r\n" : badBody;
        String request = head + "Host: 127.0.0.1\r\nAuthorization: Bearer " + key
                + "\r\nContent-Type: application/json\r\n"
                + (head.contains("Content-Length") || head.contains("chunked") ? "" : "Content-Length: "
                        + badBody.length() + "\r\n")
                + "Connection: close\r\n\r\n" + tail;
        // Jetty answers an unknown HTTP version with 505, the status HTTP defines for exactly that.
        Set<Integer> allowed = head.contains("HTTP/9.9") ? Set.of(400, 505) : BROKEN_HTTP_ANSWERS;
        return new Request(Defect.PROTOCOL, "RAW", line, List.of(), null, false,
                request.getBytes(StandardCharsets.UTF_8), allowed);
    }

    // ---- pieces.

    private Request jsonRequest(Defect defect, String endpoint, String orgId, String query,
            List<String[]> headers, String body, Set<Integer> allowed) {
        return new Request(defect, method(endpoint), path(endpoint, orgId) + query, withJson(headers),
                body == null ? null : bytes(body), false, null, allowed);
    }

    private static List<String[]> withJson(List<String[]> headers) {
        headers.add(new String[] {"Content-Type", JSON});
        return headers;
    }

    /** Bodies that an authorized caller could send successfully: only a defect elsewhere stops them. */
    private static String validBody(String endpoint) {
        return switch (endpoint) {
            case "POST /checks" -> "{\"estimatedTokens\":10}";
            case "PUT /limits" -> "{\"requestsPerMinute\":1,\"tokensPerMinute\":1,\"requestsPerDay\":1,"
                    + "\"tokensPerDay\":1}";
            case "POST /usage" -> "{\"requestId\":\"fuzz-1\",\"inputTokens\":5,\"outputTokens\":5}";
            default -> null;
        };
    }

    private static byte[] bytesOrNull(String endpoint) {
        String body = validBody(endpoint);
        return body == null ? null : bytes("{\"" + "x" + "\":" + body + "}");
    }

    private static String rest(String endpoint) {
        return endpoint.equals("POST /usage") ? ",\"requestId\":\"fuzz-2\",\"outputTokens\":1" : "";
    }

    private static String badNumber(Random random) {
        return oneOf(random, "-1", "-9223372036854775808", "9007199254740992", "9223372036854775807",
                "9223372036854775808", "1" + "0".repeat(400), "1e400", "1.5", "1e3", "\"100\"", "true",
                "null",
                "[]", "{}", "\"\"", "NaN", "Infinity", "-Infinity", "0x10", "01", "+1", "- 1", "1_000");
    }

    /** Inserts a character that no position of a {@code {"estimatedTokens":N}} body survives. */
    private static String insertBreakingCharacter(Random random, String body) {
        int at = random.nextInt(body.length() + 1);
        return body.substring(0, at) + oneOf(random, "{", "[", "\"", "\\", ":") + body.substring(at);
    }

    private String usableOrg(Random random) {
        int pick = random.nextInt(3);
        return pick == 0 ? targets.orgA() : pick == 1 ? targets.orgB() : throwAwayOrg(random);
    }

    private String throwAwayOrg(Random random) {
        return targets.throwAwayPrefix() + "-" + random.nextInt(50);
    }

    private static String method(String endpoint) {
        return endpoint.substring(0, endpoint.indexOf(' '));
    }

    private static String suffix(String endpoint) {
        return endpoint.substring(endpoint.indexOf(' ') + 1);
    }

    private static String path(String endpoint, String orgId) {
        return "/v1/orgs/" + orgId + suffix(endpoint);
    }

    private static String[] auth(String value) {
        return new String[] {"Authorization", value};
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
    private static final String PRINTABLE = LETTERS + LETTERS.toUpperCase() + "0123456789._~+/=-";

    private static String randomText(Random random, int length, String alphabet) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    @SafeVarargs
    private static <T> T oneOf(Random random, T... choices) {
        return choices[random.nextInt(choices.length)];
    }
}
