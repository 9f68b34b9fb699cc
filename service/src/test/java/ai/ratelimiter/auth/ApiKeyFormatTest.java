package ai.ratelimiter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    @Test
    void generatedKeyCarriesItsIdAnd256BitsOfSecret() {
        ApiKeyFormat.NewKey key = ApiKeyFormat.generate(new SecureRandom());

        assertThat(key.key()).matches("airl_[0-9a-f]{16}_[0-9a-f]{64}");
        assertThat(key.key()).startsWith("airl_" + key.id() + "_");
        assertThat(ApiKeyFormat.findId(key.key())).contains(key.id());
    }

    @Test
    void textsNotInTheStoredFormHaveNoId() {
        assertThat(ApiKeyFormat.findId("airl_0123456789abcdef_" + "0".repeat(63))).isEmpty();
        assertThat(ApiKeyFormat.findId("airl_0123456789ABCDEF_" + "0".repeat(64))).isEmpty();
        assertThat(ApiKeyFormat.findId("xirl_0123456789abcdef_" + "0".repeat(64))).isEmpty();
        assertThat(ApiKeyFormat.findId(null)).isEmpty();
    }

    @Test
    void hashIsTheSha256OfTheKeyText() {
        byte[] hash = ApiKeyFormat.sha256("abc");

        assertThat(HexFormat.of().formatHex(hash))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
