package io.valv.notify;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class EmailSettingRepository implements PanacheRepositoryBase<EmailSetting, String> {
}
