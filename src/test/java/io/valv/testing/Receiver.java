package io.valv.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP webhook receiver on 127.0.0.1 and a random port. Records every request; answers 204, or the
 * statuses queued for a path first (a receiver that is down for a while). A path can be held: its requests
 * are recorded on arrival and then wait, unanswered, until released (a sender killed mid-delivery).
 */
public final class Receiver implements AutoCloseable {

    public record Request(String path, Map<String, String> headers, String body, long atNanos) {

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final ExecutorService workers = Executors.newCachedThreadPool();

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(workers); // a held request must not block the others
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            String path = exchange.getRequestURI().getPath();
            requests.add(new Request(path, headers, body, System.nanoTime()));
            CountDownLatch hold = held.get(path);
            if (hold != null) {
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Deque<Integer> queue = scripted.get(path);
            Integer status = queue == null ? null : queue.poll();
            exchange.sendResponseHeaders(status == null ? 204 : status, -1);
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The next {@code statuses.length} requests to this path get these answers, in order. */
    public void answer(String path, Integer... statuses) {
        scripted.computeIfAbsent(path, p -> new ConcurrentLinkedDeque<>()).addAll(List.of(statuses));
    }

    /** Forgets the statuses still scripted for a path: it answers 204 again. */
    public void unscript(String path) {
        scripted.remove(path);
    }

    /** Requests to this path are recorded, then left unanswered until {@link #release}. */
    public void hold(String path) {
        held.put(path, new CountDownLatch(1));
    }

    /** Lets the held requests of this path go on (answered as usual); later ones are not held. */
    public void release(String path) {
        CountDownLatch latch = held.remove(path);
        if (latch != null) {
            latch.countDown();
        }
    }

    public List<Request> to(String path) {
        List<Request> list = new ArrayList<>();
        for (Request r : requests) {
            if (r.path().equals(path)) {
                list.add(r);
            }
        }
        return list;
    }

    /** Waits until at least {@code count} requests to the path match, and returns the matching ones. */
    public List<Request> await(String path, int count, Predicate<Request> filter, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Request> found = to(path).stream().filter(filter).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        workers.shutdownNow();
    }
}
