package dev.resnetops.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Signed API tokens for tests, made with the committed test key ({@code test-jwt/private.pem}) that the
 * services under test trust ({@code test-jwt/public.pem}). Built with the JDK only, so a test's token does
 * not depend on the library the server verifies it with.
 */
public final class TestTokens {

    /** The issuer the services expect ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "resnetops";
    public static final String PUBLIC_KEY_RESOURCE = "test-jwt/public.pem";
    private static final String PRIVATE_KEY_RESOURCE = "test-jwt/private.pem";
    private static final Duration LIFETIME = Duration.ofHours(2);

    private TestTokens() {
    }

    /** A valid token of this role for the subject {@code test-<role>}. */
    public static String forRole(String role) {
        return forSubject(role, "test-" + role);
    }

    /** A valid token of this role for a named caller (rate limits count per subject). */
    public static String forSubject(String role, String subject) {
        Instant now = Instant.now();
        return sign(testKey(), ISSUER, subject, role, now, now.plus(LIFETIME));
    }

    /** A token of this role that expired an hour ago. */
    public static String expired(String role) {
        Instant now = Instant.now();
        return sign(testKey(), ISSUER, "test-" + role, role, now.minus(Duration.ofHours(3)), now.minus(Duration.ofHours(1)));
    }

    /** A well-formed token signed by a key the services do not know. */
    public static String forged(String role) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            Instant now = Instant.now();
            return sign(generator.generateKeyPair().getPrivate(), ISSUER, "test-" + role, role, now, now.plus(LIFETIME));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a key for a forged token", e);
        }
    }

    /** The test public key as a file, for services started as processes ({@code MLOPS_JWT_PUBLIC_KEY}). */
    public static Path publicKeyFile(Path folder) {
        try (InputStream in = resource(PUBLIC_KEY_RESOURCE)) {
            Path file = Files.createDirectories(folder).resolve("test-jwt-public.pem");
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test public key to " + folder, e);
        }
    }

    static String sign(PrivateKey key, String issuer, String subject, String role, Instant issued, Instant expires) {
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"upn\":\"" + subject
                + "\",\"groups\":[\"" + role + "\"],\"iat\":" + issued.getEpochSecond() + ",\"exp\":"
                + expires.getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        String signingInput = base64Url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64Url(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64Url(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a test token", e);
        }
    }

    private static PrivateKey testKey() {
        try (InputStream in = resource(PRIVATE_KEY_RESOURCE)) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the test signing key " + PRIVATE_KEY_RESOURCE, e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the classpath (it is in test-support's resources)");
        }
        return in;
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
