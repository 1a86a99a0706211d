package io.valv.notify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.client.ClientService;
import io.valv.crypto.EnvelopeCrypto;

/**
 * Webhook signing keys at rest: sealed under the client key, bound to the endpoint id
 * ({@link EnvelopeCrypto#sealWebhookSecret}), opened only to make one signature and zeroed after it. The
 * plaintext {@code whsec_} value exists in the answer that shows it once, and in memory while signing.
 */
@ApplicationScoped
class WebhookSecrets {

    private final EnvelopeCrypto crypto;
    private final ClientService clients;

    WebhookSecrets(EnvelopeCrypto crypto, ClientService clients) {
        this.crypto = crypto;
        this.clients = clients;
    }

    /** Seals a fresh key as the endpoint's current one and answers its {@code whsec_} form, to be shown once. */
    @Transactional(Transactional.TxType.MANDATORY)
    String issue(WebhookEndpoint endpoint) {
        byte[] key = WebhookSigner.newKey();
        try {
            endpoint.sealedSecret = crypto.sealWebhookSecret(endpoint.clientId, clients.wrappedKeyOf(endpoint.clientId),
                    endpoint.id, key);
            return WebhookSigner.secretOf(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The {@code webhook-signature} header: each sealed key opened, used and zeroed. Fails (a
     * {@link io.valv.crypto.CryptoException}) once offboarding destroyed the client key: nothing can sign for
     * that client any more.
     */
    String signature(Signing signing, String msgId, long timestampSeconds, String body) {
        List<byte[]> keys = new ArrayList<>();
        try {
            for (byte[] sealed : signing.sealedKeys()) {
                keys.add(
                        crypto.openWebhookSecret(signing.clientId(), signing.wrappedClientKey(), signing.endpointId(), sealed));
            }
            return WebhookSigner.signature(keys, msgId, timestampSeconds, body);
        } finally {
            keys.forEach(k -> Arrays.fill(k, (byte) 0));
        }
    }

    /** What signing one delivery needs, read in a short transaction; every key in it still sealed. */
    record Signing(String clientId, byte[] wrappedClientKey, UUID endpointId, List<byte[]> sealedKeys) {
    }
}
