package io.valv.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/** Signs RS256 access tokens with the key pair bench/run generated (Valv trusts its public half). */
final class Jwt {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
    private final PrivateKey key;

    Jwt(Path pkcs8Der) throws Exception {
        this.key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(pkcs8Der)));
    }

    /** A token for {@code user} with {@code roles}; {@code client} (may be null) becomes the vault_client claim. */
    String token(String user, List<String> roles, String client) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String groups = roles.stream().map(r -> "\"" + r + "\"").collect(Collectors.joining(",", "[", "]"));
        String claims = "{\"sub\":\"" + user + "\",\"preferred_username\":\"" + user + "\",\"groups\":" + groups
                + ",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + (client == null ? "" : ",\"vault_client\":\"" + client + "\"") + "}";
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String signingInput = b64(header) + "." + b64(claims);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + B64URL.encodeToString(rsa.sign());
    }

    private static String b64(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
