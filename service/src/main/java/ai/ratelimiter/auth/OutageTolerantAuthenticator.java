package ai.ratelimiter.auth;

import com.codahale.metrics.Meter;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropwizard.auth.AuthenticationException;
import io.dropwizard.auth.Authenticator;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps checks going while Postgres is unreachable: a key that the store verified within the
 * grace period is accepted again when the store cannot answer, so that an outage of Postgres
 * does not become an outage of every check once the short key cache expires. A key the store
 * refuses is forgotten at once. Keys never verified answer 503. Thread-safe.
 */
final class OutageTolerantAuthenticator implements Authenticator<String, Caller> {

    private final Authenticator<String, Caller> store;
    private final Cache<String, Caller> lastVerified;
    private final Meter acceptedDuringOutage;

    OutageTolerantAuthenticator(Authenticator<String, Caller> store, Duration grace, long maxKeys,
            Meter acceptedDuringOutage) {
        this.store = store;
        this.lastVerified = Caffeine.newBuilder()
                .expireAfterWrite(grace)
                .maximumSize(maxKeys)
                .build();
        this.acceptedDuringOutage = acceptedDuringOutage;
    }

    @Override
    public Optional<Caller> authenticate(String credentials) throws AuthenticationException {
        Optional<Caller> caller;
        try {
            caller = store.authenticate(credentials);
        } catch (KeyStoreUnavailableException e) {
            Caller known = lastVerified.getIfPresent(credentials);
            if (known == null) {
                throw e;
            }
            acceptedDuringOutage.mark();
            return Optional.of(known);
        }

        if (caller.isPresent()) {
            lastVerified.put(credentials, caller.get());
        } else {
            lastVerified.invalidate(credentials);
        }
        return caller;
    }
}
