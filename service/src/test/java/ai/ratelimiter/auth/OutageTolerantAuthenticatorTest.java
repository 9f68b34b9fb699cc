package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Meter;
import io.dropwizard.auth.Authenticator;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fallback for Postgres outages, in front of a key store that the test switches between
 * answering and failing (the store's own Postgres behaviour is covered by the app tests).
 */
class OutageTolerantAuthenticatorTest {

    private static final Caller SERVICE = new Caller("k1", Role.SERVICE, null);

    private final SwitchableStore store = new SwitchableStore();
    private final Meter accepted = new Meter();
    private final OutageTolerantAuthenticator authenticator =
            new OutageTolerantAuthenticator(store, Duration.ofHours(1), 100, accepted);

    @Test
    void keyVerifiedBeforeAnOutageIsAcceptedDuringIt() throws Exception {
        store.keys.put("key-1", SERVICE);
        authenticator.authenticate("key-1");
        store.down = true;

        Optional<Caller> caller = authenticator.authenticate("key-1");

        assertThat(caller).contains(SERVICE);
        assertThat(accepted.getCount()).isEqualTo(1);
    }

    @Test
    void keyNeverVerifiedAnswersUnavailableDuringAnOutage() {
        store.down = true;

        assertThatThrownBy(() -> authenticator.authenticate("key-2"))
                .isInstanceOf(KeyStoreUnavailableException.class);
    }

    @Test
    void keyRefusedAfterItsVerificationIsNotAcceptedDuringALaterOutage() throws Exception {
        store.keys.put("key-3", SERVICE);
        authenticator.authenticate("key-3");
        store.keys.remove("key-3");
        authenticator.authenticate("key-3");
        store.down = true;

        assertThatThrownBy(() -> authenticator.authenticate("key-3"))
                .isInstanceOf(KeyStoreUnavailableException.class);
    }

    /** A key store that answers from a map, or fails as an unreachable Postgres does. */
    private static final class SwitchableStore implements Authenticator<String, Caller> {
        private final Map<String, Caller> keys = new HashMap<>();
        private boolean down;

        @Override
        public Optional<Caller> authenticate(String credentials) {
            if (down) {
                throw new KeyStoreUnavailableException(new IllegalStateException("postgres down"));
            }
            return Optional.ofNullable(keys.get(credentials));
        }
    }
}
