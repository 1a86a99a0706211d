package io.valv.testing;

import java.util.Map;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real SMTP server (GreenMail) on 127.0.0.1 and a free port; the mailer sends to it instead of the mock. */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    private static volatile GreenMail server;

    /** The running server, for a test to read what arrived. */
    public static GreenMail server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        server.start();
        return Map.of("quarkus.mailer.mock", "false", "quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", Integer.toString(server.getSmtp().getPort()),
                "quarkus.mailer.from", "valv@processor.example", "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
