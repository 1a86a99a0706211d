package io.valv.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;

/** The chart rendered by the real Helm library (helm-java), parsed into one map per manifest. */
final class RenderedChart {

    static final Path CHART = Paths.get("helm", "valv");
    static final Path PRODUCTION_VALUES = CHART.resolve("ci").resolve("production-values.yaml");

    final String yaml;
    final List<Map<String, Object>> manifests;

    private RenderedChart(String yaml) {
        this.yaml = yaml;
        this.manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document != null) {
                manifests.add(map(document));
            }
        }
    }

    /** A render command with the release name and namespace every test uses. */
    static TemplateCommand template(String release) {
        return new Helm(CHART).template().withName(release).withNamespace("valv");
    }

    /**
     * The least a default install must name: database, OIDC issuer, one master key, the certificate signing
     * key store and the audit checkpoint key (secrets by name only).
     */
    static TemplateCommand withRequiredSettings(TemplateCommand command) {
        return command.set("database.jdbcUrl", "jdbc:postgresql://db.example.com:5432/valv")
                .set("database.credentials.existingSecret", "valv-db")
                .set("oidc.authServerUrl", "https://id.example.com/realms/valv")
                .set("oidc.tokenAudience", "valv")
                .set("crypto.masterKeys[0].version", 1)
                .set("crypto.masterKeys[0].existingSecret", "valv-master-key")
                .set("crypto.masterKeys[0].key", "v1")
                .set("certificates.signingKeyStore.existingSecret", "valv-certificate-signing")
                .set("audit.checkpointKey.existingSecret", "valv-audit-checkpoint")
                .set("portal.secrets.existingSecret", "valv-portal");
    }

    static RenderedChart render(TemplateCommand command) {
        return new RenderedChart(command.call());
    }

    static RenderedChart defaults() {
        return render(withRequiredSettings(template("valv")));
    }

    static RenderedChart production() {
        return render(template("prod").withValuesFile(PRODUCTION_VALUES));
    }

    List<Map<String, Object>> ofKind(String kind) {
        return manifests.stream().filter(m -> kind.equals(m.get("kind"))).toList();
    }

    Map<String, Object> single(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        assertEquals(1, found.size(), () -> "expected one " + kind + " in:\n" + yaml);
        return found.get(0);
    }

    Map<String, Object> podSpec() {
        return at(single("Deployment"), "spec", "template", "spec");
    }

    Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec().get("containers"));
        assertEquals(1, containers.size());
        return containers.get(0);
    }

    /** Follows a path of map keys; fails with the path if a step is missing. */
    static Map<String, Object> at(Map<String, Object> root, String... keys) {
        Map<String, Object> current = root;
        for (String key : keys) {
            current = map(Objects.requireNonNull(current.get(key), () -> "missing " + String.join(".", keys)));
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
