package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BearerAuthFilterTest {

    @Test
    void bearerHeaderGivesItsToken() {
        String token = BearerAuthFilter.credentials("Bearer airl_0123456789abcdef_00ff");

        assertThat(token).isEqualTo("airl_0123456789abcdef_00ff");
    }

    @Test
    void schemeIsCaseInsensitive() {
        String token = BearerAuthFilter.credentials("bEARER abc");

        assertThat(token).isEqualTo("abc");
    }

    @Test
    void otherSchemesEmptyTokensAndMissingHeadersGiveNothing() {
        assertThat(BearerAuthFilter.credentials(null)).isNull();
        assertThat(BearerAuthFilter.credentials("Basic dXNlcjpwYXNz")).isNull();
        assertThat(BearerAuthFilter.credentials("Bearer")).isNull();
        assertThat(BearerAuthFilter.credentials("Bearer ")).isNull();
        assertThat(BearerAuthFilter.credentials(" Bearer abc")).isNull();
    }

    @Test
    void tokensWithSpacesControlCharactersOrCommasGiveNothing() {
        assertThat(BearerAuthFilter.credentials("Bearer a b")).isNull();
        assertThat(BearerAuthFilter.credentials("Bearer a\tb")).isNull();
        assertThat(BearerAuthFilter.credentials("Bearer a,Bearer b")).isNull();
        assertThat(BearerAuthFilter.credentials("Bearer ключ")).isNull();
    }

    @Test
    void tokenLongerThanAnyKeyGivesNothing() {
        String token = BearerAuthFilter.credentials("Bearer " + "a".repeat(ApiKeyFormat.MAX_LENGTH + 1));

        assertThat(token).isNull();
    }
}
