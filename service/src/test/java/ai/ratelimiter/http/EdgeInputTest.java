package ai.ratelimiter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.testing.TestApp;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Inputs a first outside user found to slip through: each must be a 4xx naming its cause. */
class EdgeInputTest {

    private static TestApp app;

    @BeforeAll
    static void start() throws Exception {
        app = TestApp.start();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void declaredLengthAboveTwoToTheThirtyFirstIsABadRequestNotAnError() throws Exception {
        String request = "POST /v1/orgs/edge/checks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + app.adminKey() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 99999999999\r\nConnection: close\r\n\r\n{}";

        String answer;
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), app.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).contains("\"error\":\"body_too_large\"", "\"field\":\"body\"");
    }

    @Test
    void labelWithAnUnpairedSurrogateIsRefusedRatherThanStoredAltered() {
        String body = "{\"requestId\":\"edge-" + System.nanoTime() + "\",\"inputTokens\":1,\"outputTokens\":1,"
                + "\"userId\":\"\\ud800\"}";

        Response response = app.target("/v1/orgs/" + TestApp.newOrgId() + "/usage").request()
                .post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));

        assertThat(response.getStatus()).isEqualTo(422);
        assertThat(response.readEntity(String.class)).contains("\"field\":\"userId\"");
    }

    @Test
    void usageTokensAboveTheRecordBoundAreRefused() {
        String body = "{\"requestId\":\"edge-" + System.nanoTime() + "\",\"inputTokens\":1,\"outputTokens\":1,"
                + "\"cacheReadTokens\":1000000000001}";

        Response response = app.target("/v1/orgs/" + TestApp.newOrgId() + "/usage").request()
                .post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE));

        assertThat(response.getStatus()).isEqualTo(422);
        assertThat(response.readEntity(String.class)).contains("\"field\":\"cacheReadTokens\"");
    }
}
