package tracker.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fencing tokens: unguessable and unique per claim, so a stale worker cannot write by accident or on purpose. */
final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    static String fresh() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
