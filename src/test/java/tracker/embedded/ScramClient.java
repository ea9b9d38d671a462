package tracker.embedded;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** The client's side of SCRAM-SHA-256, by hand, for conversations the driver would not have (RFC 5802). */
final class ScramClient {
    private final String secret;
    private final String clientFirstBare;
    private String authMessage;
    private byte[] salted;
    int iterations;

    ScramClient(String user, String secret) {
        this.secret = secret;
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        clientFirstBare = "n=" + user + ",r=" + Base64.getEncoder().encodeToString(nonce);
    }

    byte[] first() {
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** The client-final-message, with the proof, for the server's first message. */
    byte[] proof(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        String[] parts = serverFirst.split(",");
        byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
        iterations = Integer.parseInt(parts[2].substring(2));
        String withoutProof = "c=biws,r=" + parts[0].substring(2);
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        salted = ScramSha256.hi(secret.getBytes(StandardCharsets.UTF_8), salt, iterations);
        byte[] clientKey = ScramSha256.hmac(salted, "Client Key");
        byte[] signature = ScramSha256.hmac(ScramSha256.sha256(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    /** What the server must answer to prove that it knows the secret too. */
    String expectedServerFinal() {
        return "v=" + Base64.getEncoder().encodeToString(ScramSha256.hmac(ScramSha256.hmac(salted, "Server Key"), authMessage));
    }
}
