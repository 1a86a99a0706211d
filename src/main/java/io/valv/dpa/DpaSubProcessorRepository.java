package io.valv.dpa;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class DpaSubProcessorRepository implements PanacheRepositoryBase<DpaSubProcessor, DpaSubProcessor.Key> {
}
