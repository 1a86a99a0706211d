package io.valv.portal;

import java.util.ArrayList;
import java.util.List;

import io.valv.security.Caller;
import io.valv.security.Roles;

/**
 * Who is signed in, as the page header shows it. {@code clientId} is the client a client-side user acts for
 * (from the verified token only), else null.
 */
public record Viewer(String name, boolean admin, boolean staff, boolean auditor, boolean clientAdmin,
        boolean clientUploader, String clientId) {

    public static Viewer of(Caller caller) {
        return new Viewer(caller.subject(), caller.has(Roles.VAULT_ADMIN), caller.has(Roles.STAFF),
                caller.has(Roles.AUDITOR), caller.has(Roles.CLIENT_ADMIN), caller.has(Roles.CLIENT_UPLOADER),
                caller.clientId().orElse(null));
    }

    /** A client's person (uploader or admin), whose portal is the client workspace. */
    public boolean clientSide() {
        return clientAdmin || clientUploader;
    }

    /** The processor's people: the staff pages. */
    public boolean processorSide() {
        return admin || staff || auditor;
    }

    public String roles() {
        List<String> roles = new ArrayList<>();
        if (admin) {
            roles.add(Roles.VAULT_ADMIN);
        }
        if (staff) {
            roles.add(Roles.STAFF);
        }
        if (auditor) {
            roles.add(Roles.AUDITOR);
        }
        if (clientAdmin) {
            roles.add(Roles.CLIENT_ADMIN);
        }
        if (clientUploader) {
            roles.add(Roles.CLIENT_UPLOADER);
        }
        return String.join(", ", roles);
    }
}
