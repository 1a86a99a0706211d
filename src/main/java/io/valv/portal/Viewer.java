package io.valv.portal;

import java.util.ArrayList;
import java.util.List;

import io.valv.security.Caller;
import io.valv.security.Roles;

/** Who is signed in, as the page header shows it. */
record Viewer(String name, boolean admin, boolean staff, boolean auditor) {

    static Viewer of(Caller caller) {
        return new Viewer(caller.subject(), caller.has(Roles.VAULT_ADMIN), caller.has(Roles.STAFF),
                caller.has(Roles.AUDITOR));
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
        return String.join(", ", roles);
    }
}
