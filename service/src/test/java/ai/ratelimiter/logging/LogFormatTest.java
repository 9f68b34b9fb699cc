package ai.ratelimiter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ai.ratelimiter.RateLimiterConfiguration;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.logging.json.AccessJsonLayoutBaseFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.TimeZone;
import org.apache.commons.text.StringSubstitutor;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code LOG_FORMAT} in the repository's {@code config.yml} chooses plain or JSON logs. */
class LogFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonFormatWritesEachEventAsOneJsonObjectLine() throws Exception {
        RateLimiterConfiguration config = load(Map.of("LOG_FORMAT", "json"));

        String line = layOut(config, event("usage batch failed: records={} elapsedMs={}", 120, 35));
        JsonNode json = JSON.readTree(line);

        assertThat(line).endsWith("\n").doesNotContain("\n{");
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("logger").asText()).isEqualTo("ai.ratelimiter.usage.UsageWriter");
        assertThat(json.get("message").asText()).isEqualTo("usage batch failed: records=120 elapsedMs=35");
        assertThat(json.get("timestamp").asLong()).isEqualTo(1_700_000_000_123L);
    }

    @Test
    void plainTextIsTheDefault() throws Exception {
        RateLimiterConfiguration config = load(Map.of());

        String line = layOut(config, event("usage batch failed: records={} elapsedMs={}", 120, 35));

        assertThat(line).isEqualTo("WARN  [2023-11-14 22:13:20,123] ai.ratelimiter.usage.UsageWriter:"
                + " usage batch failed: records=120 elapsedMs=35\n");
    }

    @Test
    void requestLogFollowsTheSameSwitch() throws Exception {
        RateLimiterConfiguration json = load(Map.of("LOG_FORMAT", "json"));
        RateLimiterConfiguration text = load(Map.of());

        assertThat(requestLogConsole(json).getLayout()).isInstanceOf(AccessJsonLayoutBaseFactory.class);
        assertThat(requestLogConsole(text).getLayout()).isInstanceOf(AccessTextLayoutFactory.class);
    }

    private static RateLimiterConfiguration load(Map<String, String> environment) throws Exception {
        StringSubstitutor substitutor = new StringSubstitutor(environment::get);
        YamlConfigurationFactory<RateLimiterConfiguration> factory = new YamlConfigurationFactory<>(
                RateLimiterConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw");
        String path = Path.of("..", "config.yml").toAbsolutePath().normalize().toString();
        return factory.build(
                new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), substitutor), path);
    }

    @SuppressWarnings("unchecked")
    private static String layOut(RateLimiterConfiguration config, ILoggingEvent event) {
        DefaultLoggingFactory logging = (DefaultLoggingFactory) config.getLoggingFactory();
        ConsoleAppenderFactory<ILoggingEvent> console =
                (ConsoleAppenderFactory<ILoggingEvent>) logging.getAppenders().get(0);
        LayoutBase<ILoggingEvent> layout = (LayoutBase<ILoggingEvent>) console.getLayout()
                .build(context(), TimeZone.getTimeZone("UTC"));
        layout.start();
        return layout.doLayout(event);
    }

    private static ConsoleAppenderFactory<?> requestLogConsole(RateLimiterConfiguration config) {
        DefaultServerFactory server = (DefaultServerFactory) config.getServerFactory();
        LogbackAccessRequestLogFactory requestLog =
                (LogbackAccessRequestLogFactory) server.getRequestLogFactory();
        return (ConsoleAppenderFactory<?>) requestLog.getAppenders().get(0);
    }

    /** The running logging context: a layout needs its MDC adapter. */
    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    private static ILoggingEvent event(String format, Object... arguments) {
        LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(),
                context().getLogger("ai.ratelimiter.usage.UsageWriter"), Level.WARN, format, null,
                arguments);
        event.setTimeStamp(1_700_000_000_123L);
        return event;
    }
}
