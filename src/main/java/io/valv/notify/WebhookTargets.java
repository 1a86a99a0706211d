package io.valv.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

import io.valv.web.ProblemException;
import io.valv.web.ProblemType;

/**
 * Which URLs Valv may call (SSRF). In production only {@code https}, and the host must resolve to public
 * addresses only: no loopback, link-local (cloud metadata at 169.254.169.254), site-local/private
 * (10/8, 172.16/12, 192.168/16, fc00::/7), any-local or multicast. Checked at registration and again
 * before every attempt, after DNS resolution, so a name later pointed at 127.0.0.1 is refused.
 * {@code valv.notify.allow-insecure-targets} lifts both rules for %dev and %test only.
 */
final class WebhookTargets {

    private WebhookTargets() {
    }

    /** Parses and checks a URL; refuses with a 400 problem naming the rule, never the resolved address. */
    static URI check(String url, boolean allowInsecure) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new ProblemException(ProblemType.VALIDATION, "The webhook URL is not a valid URI.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !(scheme.equals("https") || (allowInsecure && scheme.equals("http")))) {
            throw new ProblemException(ProblemType.VALIDATION,
                    "The webhook URL must be an absolute https URL without user info or fragment.");
        }
        if (!allowInsecure) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(uri.getHost());
            } catch (UnknownHostException e) {
                throw new ProblemException(ProblemType.VALIDATION, "The webhook URL's host does not resolve.");
            }
            for (InetAddress address : addresses) {
                if (!isPublic(address)) {
                    throw new ProblemException(ProblemType.VALIDATION,
                            "The webhook URL's host resolves to a private, loopback or link-local address.");
                }
            }
        }
        return uri;
    }

    /**
     * {@code scheme://host[:port]} of a checked URL, for audit details: the path and query are left out
     * because receivers often authenticate with a token there (what Slack-style URLs do).
     */
    static String origin(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    static boolean isPublic(InetAddress a) {
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return false;
        }
        byte[] b = a.getAddress();
        if (b.length == 16 && (b[0] & 0xfe) == 0xfc) {
            return false; // IPv6 unique local fc00::/7 (isSiteLocalAddress only knows the deprecated fec0::/10)
        }
        if (b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return false; // 100.64/10, carrier-grade NAT: internal in many clouds
        }
        return !(b.length == 4 && (b[0] & 0xff) == 0);
    }
}
