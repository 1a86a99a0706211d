package io.valv.material;

import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The wrapped data key of one material. Deleting this row is the cryptographic erase. */
@Entity
@Table(name = "material_key")
class MaterialKey {

    @Id
    @Column(name = "material_id")
    UUID materialId;
    @Column(name = "wrapped_key")
    byte[] wrappedKey;
}
