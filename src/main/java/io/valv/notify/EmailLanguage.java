package io.valv.notify;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.valv.certificate.ControllerLanguage;

/** The client's configured language is the one of its email setting ({@code PUT …/email-notifications}). */
@ApplicationScoped
class EmailLanguage implements ControllerLanguage {

    private final EmailSettingRepository settings;

    EmailLanguage(EmailSettingRepository settings) {
        this.settings = settings;
    }

    @Override
    @Transactional
    public Optional<String> of(String clientId) {
        return Optional.ofNullable(clientId == null ? null : settings.findById(clientId)).map(s -> s.language);
    }
}
