package io.valv.certificate;

import java.util.Optional;

/**
 * The language a controller configured for what Valv sends it ({@code en} or {@code sv}), if it did: the default
 * language of its certificates' PDF. Owned here and implemented by the notices' feature, which keeps the
 * setting, so that certificates do not depend on notices.
 */
public interface ControllerLanguage {

    Optional<String> of(String clientId);
}
