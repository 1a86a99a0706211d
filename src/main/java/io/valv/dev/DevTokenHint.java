package io.valv.dev;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only: the in-JVM OIDC Dev Service listens on a random port, so its address is written to
 * {@code target/dev-oidc-url} where {@code scripts/dev-token} finds it.
 */
@IfBuildProfile("dev")
class DevTokenHint {

    void onStart(@Observes StartupEvent event) {
        ConfigProvider.getConfig().getOptionalValue("quarkus.oidc.auth-server-url", String.class).ifPresent(url -> {
            try {
                Files.writeString(Path.of("target", "dev-oidc-url"), url);
                Log.infof("Dev OIDC server at %s; get a token with: scripts/dev-token acme-upload", url);
            } catch (IOException e) {
                Log.warn("Could not write target/dev-oidc-url");
            }
        });
    }
}
