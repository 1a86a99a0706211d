package io.valv.client;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A controller: a client of the agency whose material Valv holds. */
@Entity
@Table(name = "client")
public class Client {

    @Id
    public String id;
    public String name;
    @Column(name = "org_number")
    public String orgNumber;
    public String contact;
    @Enumerated(EnumType.STRING)
    public Status status;
    /** The client key wrapped under a master key; null once destroyed (offboarding). */
    @Column(name = "wrapped_key")
    public byte[] wrappedKey;
    @Column(name = "created_at")
    public Instant createdAt;

    public enum Status {
        ACTIVE,
        OFFBOARDED
    }
}
