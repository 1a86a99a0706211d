package io.valv.material;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class MaterialKeyRepository implements PanacheRepositoryBase<MaterialKey, UUID> {
}
