package io.valv.dpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A sub-processor the agency uses (Art. 28(2)); a DPA lists the ones it permits. */
@Entity
@Table(name = "sub_processor")
public class SubProcessor {

    @Id
    public UUID id;
    public String name;
    public String purpose;
    public String country;
    @Column(name = "transfer_mechanism")
    public String transferMechanism;
    @Column(name = "created_at")
    public Instant createdAt;
}
