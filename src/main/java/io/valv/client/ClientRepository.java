package io.valv.client;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
class ClientRepository implements PanacheRepositoryBase<Client, String> {
}
