package io.valv.dpa;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A client's objection to a sub-processor change (Art. 28(2)): its instruction, one per client and change. */
@Entity
@Table(name = "sub_processor_objection")
class SubProcessorObjection {

    @Id
    UUID id;
    @Column(name = "change_id")
    UUID changeId;
    @Column(name = "client_id")
    String clientId;
    String reason;
    @Column(name = "objected_by")
    String objectedBy;
    @Column(name = "objected_at")
    Instant objectedAt;
}
