package io.valv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between Valv and the object store (or the database) that a test can cut: open
 * connections are reset and new ones refused, exactly what a client sees when the store or the network
 * goes down, while the store itself stays consistent (a SIGKILLed S3Proxy would leave its own
 * half-written files behind).
 */
public final class NetworkCut implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;
    /** Bytes the client side may still send upstream before the link stalls (a test holds a body mid-way). */
    private volatile long upstreamAllowance = Long.MAX_VALUE;

    public NetworkCut(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "network-cut-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void cut() {
        cut = true;
        for (Socket socket : open) {
            try {
                socket.setSoLinger(true, 0); // RST, like a dead peer
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        open.clear();
    }

    public void restore() {
        upstreamAllowance = Long.MAX_VALUE;
        cut = false;
    }

    /**
     * Lets only the next {@code bytes} from clients through, then stalls that direction (the server waits
     * for more, as behind a dead Wi-Fi link) until {@link #cut()}: a test can cut a body at a point it
     * chose instead of racing the transfer.
     */
    public void stallUpstreamAfter(long bytes) {
        upstreamAllowance = bytes;
    }

    /** Stops forwarding for good: the listening socket and every open connection are closed. */
    @Override
    public void close() {
        cut();
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (cut) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                if (cut) { // cut while this connection was being opened
                    cut();
                    continue;
                }
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // connection refused or reset: the peer sees it
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    int sent = 0;
                    while (sent < n) {
                        int allowed = upstream ? takeAllowance(n - sent) : n - sent;
                        out.write(buffer, sent, allowed);
                        sent += allowed;
                    }
                }
            } catch (IOException | InterruptedException ignored) {
                // one side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        }, "network-cut-pump");
        thread.setDaemon(true);
        thread.start();
    }

    /** Up to {@code wanted} bytes the allowance still covers, waiting (until cut) while it is spent. */
    private int takeAllowance(int wanted) throws IOException, InterruptedException {
        return upstreamAllowance == Long.MAX_VALUE ? wanted : takeLimited(wanted); // unstalled: no lock per write
    }

    private synchronized int takeLimited(int wanted) throws IOException, InterruptedException {
        while (upstreamAllowance <= 0) {
            if (cut) {
                throw new IOException("cut while stalled");
            }
            wait(10);
        }
        int granted = (int) Math.min(wanted, upstreamAllowance);
        if (upstreamAllowance != Long.MAX_VALUE) {
            upstreamAllowance -= granted;
        }
        return granted;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
