package ai.ratelimiter.logging;

import ch.qos.logback.access.common.spi.IAccessEvent;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.annotation.JsonTypeName;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.request.logging.layout.LogbackAccessRequestLayout;
import java.util.TimeZone;

/**
 * Dropwizard's plain request log layout under the layout type name {@code access-text}, so
 * that {@code layout: type: access-${LOG_FORMAT}} chooses between it and {@code access-json}.
 */
@JsonTypeName("access-text")
public class AccessTextLayoutFactory implements DiscoverableLayoutFactory<IAccessEvent> {

    @Override
    public LayoutBase<IAccessEvent> build(LoggerContext context, TimeZone timeZone) {
        return new LogbackAccessRequestLayout(context, timeZone);
    }
}
