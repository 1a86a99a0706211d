package io.valv.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A folder of ciphertext objects for the embedded default (dev mode). Holds only what the encryptor
 * produced: no plaintext ever reaches it. An upload is written to a temporary name, forced to disk and
 * renamed atomically, so a half-written object is never visible.
 */
final class LocalBlobStore implements BlobStore {

    private static final Pattern SAFE_KEY = Pattern.compile("[a-z0-9/-]{8,128}");
    private final Path root;

    LocalBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root).toRealPath();
    }

    /** A local file takes parts of any size: one segment each keeps the write path simplest. */
    @Override
    public int segmentsPerPart() {
        return 1;
    }

    @Override
    public BlobUpload startUpload(String key) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        String uploadId = UUID.randomUUID().toString();
        Path partial = target.resolveSibling(target.getFileName() + "." + uploadId + ".partial");
        FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        OutputStream out = Channels.newOutputStream(channel);
        return new BlobUpload() {
            @Override
            public String uploadId() {
                return uploadId;
            }

            @Override
            public void accept(byte[] part, int length) throws IOException {
                out.write(part, 0, length);
            }

            @Override
            public void complete() throws IOException {
                channel.force(true);
                channel.close();
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            public boolean abort() {
                try {
                    channel.close();
                    Files.deleteIfExists(partial);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            }
        };
    }

    /** Parts are files beside the target until completion concatenates them (dev mode only). */
    @Override
    public String startResumable(String key) throws IOException {
        Files.createDirectories(resolve(key).getParent());
        return UUID.randomUUID().toString();
    }

    @Override
    public String uploadPart(String key, String uploadId, int partNumber, byte[] part, int length) throws IOException {
        Path file = partFile(key, uploadId, partNumber);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(part, 0, length));
            channel.force(true);
        }
        return Integer.toString(partNumber);
    }

    @Override
    public void completeResumable(String key, String uploadId, java.util.List<String> etags) throws IOException {
        Path target = resolve(key);
        Path partial = target.resolveSibling(target.getFileName() + "." + uploadId + ".partial");
        try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 1; i <= etags.size(); i++) {
                try (FileChannel in = FileChannel.open(partFile(key, uploadId, i), StandardOpenOption.READ)) {
                    in.transferTo(0, in.size(), out);
                }
            }
            out.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        deleteParts(key, uploadId);
    }

    private Path partFile(String key, String uploadId, int partNumber) {
        Path target = resolve(key);
        return target.resolveSibling(target.getFileName() + "." + UUID.fromString(uploadId) + ".part" + partNumber);
    }

    private void deleteParts(String key, String uploadId) throws IOException {
        Path target = resolve(key);
        String prefix = target.getFileName() + "." + uploadId + ".part";
        try (var files = Files.list(target.getParent())) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith(prefix))::iterator) {
                Files.deleteIfExists(file);
            }
        }
    }

    @Override
    public BlobRange read(String key, long first, long last) throws IOException {
        Path path = resolve(key);
        if (!Files.exists(path)) {
            throw new StorageException("object missing", null);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        long size = channel.size();
        channel.position(first);
        InputStream limited = new BoundedInputStream(Channels.newInputStream(channel), last - first + 1);
        return new BlobRange(limited, size);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return Files.exists(resolve(key));
    }

    @Override
    public void delete(Collection<String> keys) throws IOException {
        for (String key : keys) {
            Files.deleteIfExists(resolve(key));
        }
    }

    @Override
    public void abandonUpload(String key, String uploadId) throws IOException {
        Path target = resolve(key);
        Files.deleteIfExists(target.resolveSibling(target.getFileName() + "." + uploadId + ".partial"));
        if (Files.isDirectory(target.getParent())) {
            deleteParts(key, uploadId);
        }
    }

    private Path resolve(String key) {
        if (!SAFE_KEY.matcher(key).matches() || key.contains("..") || key.startsWith("/")) {
            throw new IllegalArgumentException("invalid object key");
        }
        return root.resolve(key);
    }

    /** Stops after {@code remaining} bytes: a ranged read never returns more than asked. */
    private static final class BoundedInputStream extends InputStream {

        private final InputStream in;
        private long remaining;

        BoundedInputStream(InputStream in, long remaining) {
            this.in = in;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
