package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import io.smallrye.config.SmallRyeConfig;
import io.valv.crypto.CryptoConfig;
import io.valv.crypto.EnvelopeCrypto;

/**
 * Webhook signing secrets move from plaintext columns to sealed ones (docs/crypto.md, "Webhook signing
 * secrets"). A Java migration rather than SQL plus a start-up job: sealing needs the master key, and doing it
 * here lets the same migration drop the plaintext columns, so no database migrated past V50 has a place where
 * a {@code whsec_} value could sit. Endpoints of an offboarded client (its key destroyed) are deleted: their
 * secrets cannot be sealed under a key that no longer exists, and could never sign again.
 */
public class V50__seal_webhook_secrets extends BaseJavaMigration {

    private static final String PREFIX = "whsec_";

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("alter table webhook_endpoint add column sealed_secret bytea");
            s.execute("alter table webhook_endpoint add column sealed_previous_secret bytea");
        }
        record Row(UUID id, String clientId, String secret, String previousSecret, byte[] wrappedClientKey) {
        }
        List<Row> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select e.id, e.client_id, e.secret, e.previous_secret, c.wrapped_key"
                        + " from webhook_endpoint e join client c on c.id = e.client_id")) {
            while (r.next()) {
                rows.add(new Row(r.getObject(1, UUID.class), r.getString(2), r.getString(3), r.getString(4), r.getBytes(5)));
            }
        }
        EnvelopeCrypto crypto = rows.isEmpty() ? null
                : new EnvelopeCrypto(
                        ConfigProvider.getConfig().unwrap(SmallRyeConfig.class).getConfigMapping(CryptoConfig.class));
        try (PreparedStatement seal = c.prepareStatement(
                "update webhook_endpoint set sealed_secret = ?, sealed_previous_secret = ? where id = ?");
                PreparedStatement delete = c.prepareStatement("delete from webhook_endpoint where id = ?")) {
            for (Row row : rows) {
                if (row.wrappedClientKey() == null) {
                    delete.setObject(1, row.id());
                    delete.executeUpdate();
                    continue;
                }
                seal.setBytes(1, sealed(crypto, row.clientId(), row.wrappedClientKey(), row.id(), row.secret()));
                seal.setBytes(2, sealed(crypto, row.clientId(), row.wrappedClientKey(), row.id(), row.previousSecret()));
                seal.setObject(3, row.id());
                seal.executeUpdate();
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("alter table webhook_endpoint drop column secret");
            s.execute("alter table webhook_endpoint drop column previous_secret");
            s.execute("alter table webhook_endpoint alter column sealed_secret set not null");
        }
    }

    private static byte[] sealed(EnvelopeCrypto crypto, String clientId, byte[] wrappedClientKey, UUID endpointId,
            String secret) {
        if (secret == null) {
            return null;
        }
        byte[] key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
        try {
            return crypto.sealWebhookSecret(clientId, wrappedClientKey, endpointId, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
