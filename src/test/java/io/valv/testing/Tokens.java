package io.valv.testing;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

/**
 * Signed access tokens for the Quarkus OIDC test server (WireMock), which serves the matching JWKS.
 * Roles go in {@code groups}; the tenant in the {@code vault_client} claim, as Keycloak's mapper does.
 */
public final class Tokens {

    public static final String ISSUER = "https://server.example.com";

    private Tokens() {
    }

    public static String staff(String name) {
        return token(name, null, "staff");
    }

    public static String admin() {
        return token("admin", null, "vault-admin");
    }

    public static String auditor() {
        return token("dora", null, "auditor");
    }

    public static String clientAdmin(String client) {
        return token(client + "-admin", client, "client-admin");
    }

    public static String uploader(String client) {
        return token(client + "-upload", client, "client-uploader");
    }

    public static String token(String user, String client, String... roles) {
        return claims(user, client, roles).sign();
    }

    public static JwtClaimsBuilder claims(String user, String client, String... roles) {
        JwtClaimsBuilder builder = Jwt.preferredUserName(user).subject(user).groups(Set.of(roles)).issuer(ISSUER)
                .expiresAt(Instant.now().plusSeconds(600));
        if (client != null) {
            builder.claim("vault_client", client);
        }
        return builder;
    }

    public static String expired(String user, String client, String... roles) {
        return claims(user, client, roles).issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600)).sign();
    }

    /** Same claims, signed by a key the identity provider never published. */
    public static String forged(String user, String client, String... roles) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return claims(user, client, roles).jws().keyId("1").sign(pair.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
