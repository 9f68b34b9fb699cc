package ai.ratelimiter.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One answer of the running service: status, headers (names in lower case) and body.
 *
 * @param body the body as JSON; a missing node when it is empty or not JSON
 * @param text the body as sent
 */
record ServedAnswer(int status, Map<String, String> headers, JsonNode body, String text) {

    static ServedAnswer read(Response response, ObjectMapper mapper) {
        Map<String, String> headers = new TreeMap<>();
        response.getStringHeaders().forEach((name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
        String text = response.hasEntity() ? response.readEntity(String.class) : "";
        JsonNode body;
        try {
            body = text.isEmpty() ? MissingNode.getInstance() : mapper.readTree(text);
        } catch (JsonProcessingException e) {
            body = MissingNode.getInstance();
        }
        return new ServedAnswer(response.getStatus(), headers, body, text);
    }

    Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    List<String> headerNames() {
        return List.copyOf(headers.keySet());
    }

    @Override
    public String toString() {
        return status + " " + text;
    }
}
