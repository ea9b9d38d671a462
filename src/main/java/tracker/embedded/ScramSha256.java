package tracker.embedded;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's side of SCRAM-SHA-256 (RFC 5802 with RFC 7677's hash), as MongoDB speaks it: the
 * standard mechanism every MongoDB driver and shell already implements, so clients authenticate to
 * the embedded server exactly as to a real one. The secret itself never crosses the connection; the
 * server keeps only what RFC 5802 calls the stored credential (salt, iteration count, StoredKey,
 * ServerKey), from which the secret cannot be recovered. No channel binding (the connection is plain
 * TCP on the loopback).
 */
final class ScramSha256 {
    static final String MECHANISM = "SCRAM-SHA-256";
    /**
     * The least the MongoDB driver accepts. Iterations only slow down guessing a weak password; the
     * secret is 256 random bits, so more would only cost every client's start-up time.
     */
    static final int ITERATIONS = 4096;
    private static final String HMAC = "HmacSHA256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramSha256() {
    }

    /** Thrown when a client's message is malformed or its proof is wrong; the reason is for the server log only. */
    static final class Failure extends Exception {
        Failure(String reason) {
            super(reason);
        }
    }

    /** What the server keeps of the secret (RFC 5802 section 3). */
    record StoredCredential(String user, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        static StoredCredential derive(String user, String secret) {
            byte[] salt = new byte[24];
            RANDOM.nextBytes(salt);
            byte[] salted = hi(secret.getBytes(StandardCharsets.UTF_8), salt, ITERATIONS);
            return new StoredCredential(user, salt, ITERATIONS, sha256(hmac(salted, "Client Key")), hmac(salted, "Server Key"));
        }
    }

    /** One client's authentication: its first message gets the server's challenge, its proof the server's signature. */
    static final class Conversation {
        private final StoredCredential credential;
        private String clientFirstBare;
        private String serverFirst;
        private String nonce;
        private boolean proven;

        Conversation(StoredCredential credential) {
            this.credential = credential;
        }

        /** client-first-message ({@code n,,n=USER,r=NONCE}) in, server-first-message out. */
        String start(String clientFirst) throws Failure {
            // gs2-header: "n" (client does not support channel binding) or "y" (thinks we do not), no authzid.
            if (!clientFirst.startsWith("n,,") && !clientFirst.startsWith("y,,")) {
                throw new Failure("unsupported GS2 header (channel binding or authorization identity)");
            }
            clientFirstBare = clientFirst.substring(3);
            Map<Character, String> fields = fields(clientFirstBare);
            String user = fields.get('n');
            String clientNonce = fields.get('r');
            if (user == null || clientNonce == null || clientNonce.isEmpty()) {
                throw new Failure("client-first-message without user name or nonce");
            }
            if (!user.replace("=2C", ",").replace("=3D", "=").equals(credential.user())) {
                throw new Failure("unknown user '" + user + "'");
            }
            byte[] serverNonce = new byte[24];
            RANDOM.nextBytes(serverNonce);
            nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
            serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt()) + ",i="
                    + credential.iterations();
            return serverFirst;
        }

        /** client-final-message ({@code c=...,r=...,p=PROOF}) in, server-final-message ({@code v=SIGNATURE}) out. */
        String finish(String clientFinal) throws Failure {
            if (serverFirst == null || proven) {
                throw new Failure("client-final-message out of turn");
            }
            int proofAt = clientFinal.lastIndexOf(",p=");
            if (proofAt < 0) {
                throw new Failure("client-final-message without proof");
            }
            String withoutProof = clientFinal.substring(0, proofAt);
            Map<Character, String> fields = fields(withoutProof);
            // c= is the base64 of the GS2 header: "n,," or "y,,", without channel-binding data.
            if (!"biws".equals(fields.get('c')) && !"eSws".equals(fields.get('c'))) {
                throw new Failure("unexpected channel binding");
            }
            if (!nonce.equals(fields.get('r'))) {
                throw new Failure("nonce mismatch");
            }
            byte[] proof;
            try {
                proof = Base64.getDecoder().decode(clientFinal.substring(proofAt + 3));
            } catch (IllegalArgumentException e) {
                throw new Failure("proof is not base64");
            }
            String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
            byte[] clientSignature = hmac(credential.storedKey(), authMessage);
            if (proof.length != clientSignature.length) {
                throw new Failure("proof of the wrong length");
            }
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
            }
            if (!MessageDigest.isEqual(sha256(clientKey), credential.storedKey())) {
                throw new Failure("wrong proof");
            }
            proven = true;
            return "v=" + Base64.getEncoder().encodeToString(hmac(credential.serverKey(), authMessage));
        }

        boolean proven() {
            return proven;
        }
    }

    /** {@code a=1,b=2} as a map; values may contain '=' but not ','. */
    private static Map<Character, String> fields(String message) throws Failure {
        Map<Character, String> fields = new HashMap<>();
        for (String part : message.split(",")) {
            if (part.length() < 2 || part.charAt(1) != '=') {
                throw new Failure("malformed SCRAM attribute '" + part + "'");
            }
            fields.putIfAbsent(part.charAt(0), part.substring(2));
        }
        return fields;
    }

    /** PBKDF2 with HMAC-SHA-256 and one block, which is RFC 5802's Hi(). */
    static byte[] hi(byte[] secret, byte[] salt, int iterations) {
        Mac mac = mac(secret);
        mac.update(salt);
        mac.update(new byte[] {0, 0, 0, 1});
        byte[] u = mac.doFinal();
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac.doFinal(u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    static byte[] hmac(byte[] key, String text) {
        return mac(key).doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no " + HMAC, e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java has no SHA-256", e);
        }
    }
}
