package io.valv.notify;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which notices a client's contact address receives by email, and in which language (en, sv). */
@Entity
@Table(name = "email_setting")
class EmailSetting {

    @Id
    @Column(name = "client_id")
    String clientId;
    /** Comma-separated event types; empty: no email. */
    String events;
    String language;

    List<String> eventList() {
        return events.isEmpty() ? List.of() : Arrays.asList(events.split(","));
    }
}
