package io.valv.deploy;

import static io.valv.deploy.RenderedChart.list;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.valv.audit.AuditConfig;
import io.valv.certificate.CertificateConfig;
import io.valv.crypto.CryptoConfig;
import io.valv.material.UploadConfig;
import io.valv.portal.PortalConfig;
import io.valv.purge.PurgeConfig;
import io.valv.security.SecurityConfig;
import io.valv.storage.StorageConfig;

/**
 * The environment a pod of the rendered chart would get — ConfigMap (envFrom) plus the env list, with
 * secretKeyRefs resolved the way Kubernetes would — bound to Valv's {@code @ConfigMapping}s by SmallRye
 * Config, as Quarkus does at start, without booting Quarkus.
 */
final class PodEnvironment {

    private PodEnvironment() {
    }

    /** @param secrets resolves (secret name, key) to the secret's value */
    static Map<String, String> of(RenderedChart chart, BiFunction<String, String, String> secrets) {
        Map<String, String> env = new HashMap<>();
        HelmChartTest.configMap(chart).forEach((name, value) -> env.put(name, String.valueOf(value)));
        for (Map<String, Object> var : list(chart.container().get("env"))) {
            Object value = var.get("value");
            if (value == null) {
                Map<String, Object> ref = RenderedChart.at(var, "valueFrom", "secretKeyRef");
                value = secrets.apply((String) ref.get("name"), (String) ref.get("key"));
            }
            env.put((String) var.get("name"), String.valueOf(value));
        }
        return env;
    }

    static SmallRyeConfig config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .withConverter(Duration.class, 200, new DurationConverter())
                .withConverter(MemorySize.class, 200, new MemorySizeConverter())
                .withMapping(CryptoConfig.class)
                .withMapping(StorageConfig.class)
                .withMapping(UploadConfig.class)
                .withMapping(SecurityConfig.class)
                .withMapping(PurgeConfig.class)
                .withMapping(CertificateConfig.class)
                .withMapping(AuditConfig.class)
                .withMapping(PortalConfig.class)
                .build();
    }
}
