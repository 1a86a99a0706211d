package io.valv.dpa;

import java.io.Serializable;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** One sub-processor permitted by one DPA. */
@Entity
@Table(name = "dpa_sub_processor")
class DpaSubProcessor {

    @EmbeddedId
    Key key;

    DpaSubProcessor() {
    }

    DpaSubProcessor(UUID dpaId, UUID subProcessorId) {
        this.key = new Key(dpaId, subProcessorId);
    }

    @Embeddable
    record Key(@Column(name = "dpa_id") UUID dpaId, @Column(name = "sub_processor_id") UUID subProcessorId)
            implements
                Serializable {
    }
}
