package io.valv.deploy;

import static io.valv.deploy.RenderedChart.at;
import static io.valv.deploy.RenderedChart.list;
import static io.valv.deploy.RenderedChart.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/**
 * Lints and renders helm/valv with the real Helm library and checks the properties the chart promises:
 * restricted security context, probes on /q/health/*, secrets only by reference, a config checksum, and a
 * schema that refuses bad values. No cluster and no Quarkus boot needed.
 */
class HelmChartTest {

    /** Environment variables whose value is a secret (or names the database user): never inline. */
    private static final Pattern SECRET_ENV = Pattern.compile(
            "QUARKUS_DATASOURCE_(USERNAME|PASSWORD)|VALV_CRYPTO_MASTER_KEYS_\\d+|QUARKUS_OIDC_CREDENTIALS_SECRET"
                    + "|VALV_STORAGE_S3_(ACCESS_KEY_ID|SECRET_ACCESS_KEY)|VALV_CERTIFICATES_SIGNING_KEY_STORE_PASSWORD"
                    + "|VALV_AUDIT_CHECKPOINT_KEY|.*(PASSWORD|SECRET).*");

    @Test
    void lintPasses() {
        LintResult result = new Helm(RenderedChart.CHART).lint().strict().call();
        assertFalse(result.isFailed(), () -> String.join("\n", result.getMessages()));
    }

    @Test
    void defaultValuesRenderARestrictedDeployment() {
        RenderedChart chart = RenderedChart.defaults();
        assertRestrictedPod(chart);
        assertProbes(chart);
        assertSecretsByReferenceOnly(chart);
        assertEquals(2, map(chart.single("Deployment").get("spec")).get("replicas"));
        assertEquals(Set.of("ConfigMap", "Deployment", "PodDisruptionBudget", "Service", "ServiceAccount"),
                chart.manifests.stream().map(m -> (String) m.get("kind")).collect(Collectors.toSet()),
                "optional resources (Ingress, HPA, NetworkPolicy, ServiceMonitor) are off by default");
    }

    @Test
    void productionValuesRenderTheWholeSet() {
        RenderedChart chart = RenderedChart.production();
        assertRestrictedPod(chart);
        assertProbes(chart);
        assertSecretsByReferenceOnly(chart);

        Map<String, Object> deployment = chart.single("Deployment");
        assertNull(map(deployment.get("spec")).get("replicas"), "the HPA owns the replica count");
        Map<String, Object> hpa = chart.single("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals(3, map(hpa.get("spec")).get("minReplicas"));
        assertEquals(8, map(hpa.get("spec")).get("maxReplicas"));
        assertEquals(2, map(chart.single("PodDisruptionBudget").get("spec")).get("minAvailable"));
        chart.single("ServiceMonitor");

        Map<String, Object> ingressSpec = map(chart.single("Ingress").get("spec"));
        assertFalse(list(ingressSpec.get("tls")).isEmpty(), "production ingress terminates TLS");
        for (Map<String, Object> rule : list(ingressSpec.get("rules"))) {
            for (Map<String, Object> path : list(at(rule, "http").get("paths"))) {
                String p = (String) path.get("path");
                assertFalse(p.equals("/") || p.startsWith("/q"), "/q must stay cluster-internal, got " + p);
            }
        }
        assertEquals("off", map(at(chart.single("Ingress"), "metadata").get("annotations"))
                .get("nginx.ingress.kubernetes.io/proxy-request-buffering"), "no plaintext buffered on the proxy");

        Map<String, Object> policy = map(chart.single("NetworkPolicy").get("spec"));
        assertEquals(List.of("Ingress", "Egress"), policy.get("policyTypes"));
        Set<Integer> egressPorts = new HashSet<>();
        for (Map<String, Object> rule : list(policy.get("egress"))) {
            assertFalse(list(rule.get("to")).isEmpty(), "every egress rule names its destinations: " + rule);
            list(rule.get("ports")).forEach(port -> egressPorts.add((Integer) port.get("port")));
        }
        assertEquals(Set.of(53, 5432, 443), egressPorts, "DNS, PostgreSQL, S3/OIDC/STS only");

        Map<String, Object> env = envByName(chart);
        assertTrue(env.containsKey("VALV_CRYPTO_MASTER_KEYS_1") && env.containsKey("VALV_CRYPTO_MASTER_KEYS_2"));
        assertEquals("2", configMap(chart).get("VALV_CRYPTO_ACTIVE_MASTER_KEY_VERSION"));
        assertEquals("/etc/valv/certificate-signing/keystore.p12",
                map(env.get("VALV_CERTIFICATES_SIGNING_KEY_STORE")).get("value"));
        assertFalse(env.containsKey("VALV_STORAGE_S3_ACCESS_KEY_ID"), "IRSA: no static S3 keys");
        Map<String, Object> caMount = list(chart.container().get("volumeMounts")).stream()
                .filter(v -> "db-ca".equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals(true, caMount.get("readOnly"));
        assertTrue(map(at(chart.single("ServiceAccount"), "metadata").get("annotations"))
                .containsKey("eks.amazonaws.com/role-arn"));
    }

    @Test
    void configChangeChangesTheChecksum() {
        String before = checksum(RenderedChart.defaults());
        String after = checksum(RenderedChart
                .render(RenderedChart.withRequiredSettings(RenderedChart.template("valv")).set("upload.maxSize", "5G")));
        assertTrue(before.matches("[0-9a-f]{64}"), before);
        assertFalse(before.equals(after), "a ConfigMap change must roll the pods");
    }

    @Test
    void chartJvmOptionsMatchTheImage() throws IOException {
        Matcher m = Pattern.compile("ENV JAVA_OPTS_APPEND=\"([^\"]*)\"")
                .matcher(Files.readString(DockerfileTest.DOCKERFILE));
        assertTrue(m.find());
        assertEquals(m.group(1), configMap(RenderedChart.defaults()).get("JAVA_OPTS_APPEND"));
    }

    @Test
    void missingSecretNamesFailTheRender() {
        IllegalStateException noMasterKey = assertThrows(IllegalStateException.class,
                () -> RenderedChart.template("valv").set("database.jdbcUrl", "jdbc:postgresql://db/valv")
                        .set("database.credentials.existingSecret", "valv-db")
                        .set("oidc.authServerUrl", "https://id.example.com/realms/valv").call());
        assertTrue(noMasterKey.getMessage().contains("crypto.masterKeys"), noMasterKey.getMessage());

        for (String secretName : List.of("database.credentials.existingSecret",
                "certificates.signingKeyStore.existingSecret", "audit.checkpointKey.existingSecret")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv")).set(secretName, "").call());
            assertTrue(e.getMessage().contains(secretName), e.getMessage());
        }
    }

    @Test
    void aTokenAudienceIsRequired() {
        // without one, any access token of the issuer (minted for any of its clients) would be accepted
        for (String audience : List.of("", "valv,")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                            .set("oidc.tokenAudience", audience).call());
            assertTrue(e.getMessage().contains("tokenAudience"), e.getMessage());
        }
        assertEquals("valv", configMap(RenderedChart.defaults()).get("QUARKUS_OIDC_TOKEN_AUDIENCE"));
        assertEquals("valv", configMap(RenderedChart.production()).get("QUARKUS_OIDC_TOKEN_AUDIENCE"));
    }

    @Test
    void thePortalsPublicUrlIsPinned() {
        Map<String, Object> production = configMap(RenderedChart.production());
        assertEquals("https://valv.agency.example", production.get("VALV_PORTAL_PUBLIC_URL"));
        assertEquals("true", production.get("QUARKUS_OIDC_PORTAL_AUTHENTICATION_FORCE_REDIRECT_HTTPS_SCHEME"));
        assertFalse(configMap(RenderedChart.defaults()).containsKey("VALV_PORTAL_PUBLIC_URL"));
        for (String url : List.of("https://valv.example.com/portal", "valv.example.com", "https://a.example/?x")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv")).set("portal.publicUrl", url)
                            .call());
            assertTrue(e.getMessage().contains("publicUrl"), e.getMessage());
        }
    }

    @Test
    void signingKeyStoreIsMountedReadOnlyFromItsSecret() {
        RenderedChart chart = RenderedChart.defaults();
        Map<String, Object> mount = list(chart.container().get("volumeMounts")).stream()
                .filter(v -> "certificate-signing".equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals(true, mount.get("readOnly"));
        assertEquals("/etc/valv/certificate-signing", mount.get("mountPath"));
        Map<String, Object> volume = list(chart.podSpec().get("volumes")).stream()
                .filter(v -> "certificate-signing".equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals("valv-certificate-signing", at(volume, "secret").get("secretName"));
        assertEquals("/etc/valv/certificate-signing/keystore.p12",
                map(envByName(chart).get("VALV_CERTIFICATES_SIGNING_KEY_STORE")).get("value"));
    }

    @Test
    void extraConfigCannotOverrideChartSettings() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                        .set("extraConfig.VALV_UPLOAD_MAX_SIZE", "1T").call());
        assertTrue(e.getMessage().contains("extraConfig.VALV_UPLOAD_MAX_SIZE"), e.getMessage());
        String extra = configMap(RenderedChart.render(RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                .set("extraConfig.QUARKUS_LOG_LEVEL", "DEBUG"))).get("QUARKUS_LOG_LEVEL").toString();
        assertEquals("DEBUG", extra);
    }

    @ParameterizedTest(name = "{0}={1} is refused")
    @CsvSource(delimiter = '|', value = {
            "replicaCount|three",
            "replicaCount|0",
            "unknownKey|1",
            "image.pullPolicy|Sometimes",
            "jvm.extraOptions|-Djava.security.properties=/tmp/weak.security",
            "jvm.extraOptions|-Djdk.tls.disabledAlgorithms=",
            "extraConfig.QUARKUS_DATASOURCE_PASSWORD|hunter2",
            "extraConfig.VALV_CRYPTO_MASTER_KEYS_3|AAAA",
            "extraConfig.VALV_CERTIFICATES_EPHEMERAL_SIGNING_KEY|true",
            "database.jdbcUrl|jdbc:postgresql://db/valv?password=hunter2",
            "storage.s3.segmentsPerPart|4",
            "crypto.activeVersion|3",
            "securityContext.runAsUser|0" })
    void badValuesAreRefused(String key, String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv")).set(key, value).call());
        String topLevel = key.split("[.\\[]")[0];
        assertTrue(e.getMessage().contains(topLevel), () -> "refused for another reason: " + e.getMessage());
    }

    /** /q serves health, metrics and OpenAPI; a root or /q path on the Ingress would publish them. */
    @ParameterizedTest(name = "ingress path {0} is refused")
    @ValueSource(strings = { "/", "/q", "/q/metrics" })
    void ingressNeverPublishesTheManagementEndpoints(String path) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv")).set("ingress.enabled", true)
                        .set("ingress.hosts[0]", "valv.example.com").set("ingress.paths[0].path", path)
                        .set("ingress.paths[0].pathType", "Prefix").call());
        assertTrue(e.getMessage().contains("ingress.paths.0.path"), e.getMessage());
    }

    @Test
    void extraVolumesCannotReachTheNodeDiskOrBeWritable() {
        assertThrows(IllegalStateException.class, () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                .set("extraVolumes[0].name", "scratch").set("extraVolumes[0].hostPath.path", "/var/tmp").call());
        assertThrows(IllegalStateException.class, () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                .set("extraVolumes[0].name", "scratch").set("extraVolumes[0].emptyDir.sizeLimit", "1Gi").call());
        IllegalStateException writable = assertThrows(IllegalStateException.class,
                () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                        .set("extraVolumes[0].name", "db-ca").set("extraVolumes[0].configMap.name", "ca")
                        .set("extraVolumeMounts[0].name", "db-ca").set("extraVolumeMounts[0].mountPath", "/etc/valv/db-ca")
                        .set("extraVolumeMounts[0].readOnly", false).call());
        assertTrue(writable.getMessage().contains("extraVolumeMounts"), writable.getMessage());
    }

    @Test
    void networkPolicyWithoutDestinationsIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RenderedChart.withRequiredSettings(RenderedChart.template("valv"))
                        .set("networkPolicy.enabled", true).call());
        assertTrue(e.getMessage().contains("networkPolicy.egress.database"), e.getMessage());
    }

    private static void assertRestrictedPod(RenderedChart chart) {
        Map<String, Object> pod = chart.podSpec();
        Map<String, Object> podContext = map(pod.get("securityContext"));
        assertEquals(true, podContext.get("runAsNonRoot"));
        assertEquals(185, podContext.get("runAsUser"));
        assertEquals("RuntimeDefault", at(podContext, "seccompProfile").get("type"));
        assertEquals(false, pod.get("automountServiceAccountToken"));

        Map<String, Object> context = map(chart.container().get("securityContext"));
        assertEquals(true, context.get("runAsNonRoot"));
        assertEquals(185, context.get("runAsUser"));
        assertEquals(true, context.get("readOnlyRootFilesystem"));
        assertEquals(false, context.get("allowPrivilegeEscalation"));
        assertEquals(false, context.get("privileged"));
        assertTrue(((List<?>) at(context, "capabilities").get("drop")).contains("ALL"));
        assertEquals("RuntimeDefault", at(context, "seccompProfile").get("type"));

        // The read-only root needs a writable /tmp: memory-backed, so nothing reaches the node's disk.
        Map<String, Object> tmpMount = list(chart.container().get("volumeMounts")).stream()
                .filter(v -> "/tmp".equals(v.get("mountPath"))).findFirst().orElseThrow();
        Map<String, Object> tmpVolume = list(pod.get("volumes")).stream()
                .filter(v -> tmpMount.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        assertEquals("Memory", at(tmpVolume, "emptyDir").get("medium"));

        Map<String, Object> annotations = at(chart.single("Deployment"), "spec", "template", "metadata", "annotations");
        assertTrue(String.valueOf(annotations.get("checksum/config")).matches("[0-9a-f]{64}"), annotations.toString());
    }

    private static void assertProbes(RenderedChart chart) {
        Map<String, Object> container = chart.container();
        assertEquals("/q/health/started", at(container, "startupProbe", "httpGet").get("path"));
        assertEquals("/q/health/live", at(container, "livenessProbe", "httpGet").get("path"));
        assertEquals("/q/health/ready", at(container, "readinessProbe", "httpGet").get("path"));
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("http", at(container, probe, "httpGet").get("port"));
        }
        assertEquals(8080, list(container.get("ports")).get(0).get("containerPort"));
    }

    private static void assertSecretsByReferenceOnly(RenderedChart chart) {
        assertTrue(chart.ofKind("Secret").isEmpty(), "the chart renders no Secret");

        for (Map<String, Object> var : list(chart.container().get("env"))) {
            String name = (String) var.get("name");
            if (SECRET_ENV.matcher(name).matches()) {
                assertFalse(var.containsKey("value"), name + " must not be inline");
                Map<String, Object> ref = at(var, "valueFrom", "secretKeyRef");
                assertFalse(String.valueOf(ref.get("name")).isBlank(), name);
                assertFalse(String.valueOf(ref.get("key")).isBlank(), name);
                assertNull(ref.get("optional"), name + ": a missing secret must stop the pod");
            }
        }
        Map<String, Object> env = envByName(chart);
        for (String required : List.of("QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD",
                "VALV_CRYPTO_MASTER_KEYS_1", "VALV_CERTIFICATES_SIGNING_KEY_STORE_PASSWORD")) {
            assertTrue(env.containsKey(required), required);
        }
        for (String key : configMap(chart).keySet()) {
            assertFalse(SECRET_ENV.matcher(key).matches(), key + " belongs in a secret, not the ConfigMap");
        }
        Map<String, Object> envFrom = list(chart.container().get("envFrom")).get(0);
        assertTrue(envFrom.containsKey("configMapRef"), "configuration comes from the ConfigMap");
    }

    private static Map<String, Object> envByName(RenderedChart chart) {
        return list(chart.container().get("env")).stream()
                .collect(Collectors.toMap(v -> (String) v.get("name"), v -> v));
    }

    static Map<String, Object> configMap(RenderedChart chart) {
        return map(chart.single("ConfigMap").get("data"));
    }

    private static String checksum(RenderedChart chart) {
        return String.valueOf(at(chart.single("Deployment"), "spec", "template", "metadata", "annotations")
                .get("checksum/config"));
    }
}
