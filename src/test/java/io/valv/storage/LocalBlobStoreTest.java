package io.valv.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.valv.storage.BlobStore.BlobRange;

class LocalBlobStoreTest {

    static final String KEY = "m/ab/ab0123456789abcdef0123456789ef";
    static final String OTHER_KEY = "m/cd/cd0123456789abcdef0123456789ef";

    @TempDir
    Path dir;

    LocalBlobStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = new LocalBlobStore(dir.resolve("blobs"));
    }

    static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Uploads in parts of varying size, reusing one buffer longer than each part to exercise length. */
    private void upload(String key, byte[] content, int... partSizes) throws IOException {
        BlobUpload up = store.startUpload(key);
        int offset = 0;
        int i = 0;
        while (offset < content.length) {
            int n = Math.min(partSizes[i++ % partSizes.length], content.length - offset);
            byte[] buffer = new byte[n + 7];
            Arrays.fill(buffer, (byte) 0x5a);
            System.arraycopy(content, offset, buffer, 0, n);
            up.accept(buffer, n);
            offset += n;
        }
        up.complete();
    }

    private byte[] readAll(String key, long first, long last) throws IOException {
        BlobRange range = store.read(key, first, last);
        try (InputStream in = range.content()) {
            return in.readAllBytes();
        }
    }

    private List<Path> regularFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void multipartUploadThenRangedReads() throws IOException {
        byte[] content = data(10_000, 1);
        upload(KEY, content, 1000, 1, 4096, 333);

        assertTrue(store.exists(KEY));
        assertArrayEquals(content, readAll(KEY, 0, content.length - 1));
        assertArrayEquals(Arrays.copyOfRange(content, 0, 1), readAll(KEY, 0, 0));
        assertArrayEquals(Arrays.copyOfRange(content, 999, 1002), readAll(KEY, 999, 1001));
        assertArrayEquals(Arrays.copyOfRange(content, 9_999, 10_000), readAll(KEY, 9_999, 9_999));
        assertArrayEquals(Arrays.copyOfRange(content, 4_000, 8_193), readAll(KEY, 4_000, 8_192));
        assertEquals(content.length, store.read(KEY, 5, 6).objectLength());
    }

    @ParameterizedTest
    @CsvSource({ "0,0", "0,9", "3,3", "3,7", "9,9", "1,8" })
    void everyInclusiveRangeOfASmallObject(int first, int last) throws IOException {
        byte[] content = "0123456789".getBytes();
        upload(KEY, content, 3);
        BlobRange range = store.read(KEY, first, last);
        assertEquals(10, range.objectLength());
        try (InputStream in = range.content()) {
            byte[] got = in.readAllBytes();
            assertArrayEquals(Arrays.copyOfRange(content, first, last + 1), got);
            assertEquals(-1, in.read(), "no byte past the range");
        }
    }

    @Test
    void singleByteReadsStopAtTheEndOfTheRange() throws IOException {
        upload(KEY, "abcdefgh".getBytes(), 8);
        try (InputStream in = store.read(KEY, 2, 4).content()) {
            assertEquals('c', in.read());
            assertEquals('d', in.read());
            assertEquals('e', in.read());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void rangeBeyondTheEndReturnsOnlyWhatExists() throws IOException {
        upload(KEY, "abcdef".getBytes(), 6);
        BlobRange range = store.read(KEY, 4, 100);
        assertEquals(6, range.objectLength());
        try (InputStream in = range.content()) {
            assertArrayEquals("ef".getBytes(), in.readAllBytes());
        }
    }

    @Test
    void emptyObject() throws IOException {
        BlobUpload up = store.startUpload(KEY);
        up.complete();
        assertTrue(store.exists(KEY));
        assertEquals(0, store.read(KEY, 0, 0).objectLength());
    }

    @Test
    void nothingIsVisibleBeforeComplete() throws IOException {
        BlobUpload up = store.startUpload(KEY);
        up.accept("partial".getBytes(), 7);

        assertFalse(store.exists(KEY));
        assertThrows(StorageException.class, () -> store.read(KEY, 0, 0));
        assertFalse(Files.exists(dir.resolve("blobs").resolve(KEY)));

        up.complete();
        assertTrue(store.exists(KEY));
        assertArrayEquals("partial".getBytes(), readAll(KEY, 0, 6));
    }

    @Test
    void missingObjectIsAStorageException() {
        IOException e = assertThrows(IOException.class, () -> store.read(KEY, 0, 10));
        assertTrue(e instanceof StorageException);
    }

    @Test
    void abortLeavesNoFileBehind() throws IOException {
        BlobUpload up = store.startUpload(KEY);
        up.accept(data(5000, 2), 5000);
        assertEquals(1, regularFiles().size(), "the partial file exists while uploading");

        up.abort();
        assertEquals(List.of(), regularFiles());
        assertFalse(store.exists(KEY));
        up.abort(); // safe to call more than once
        assertEquals(List.of(), regularFiles());
    }

    @Test
    void uploadIdsAreDistinctAndNamePartialFiles() throws IOException {
        BlobUpload a = store.startUpload(KEY);
        BlobUpload b = store.startUpload(KEY);
        assertNotEquals(a.uploadId(), b.uploadId());
        assertEquals(2, regularFiles().size());
        for (Path p : regularFiles()) {
            String name = p.getFileName().toString();
            assertTrue(name.contains(a.uploadId()) || name.contains(b.uploadId()), name);
        }
        a.abort();
        b.abort();
        assertEquals(List.of(), regularFiles());
    }

    @Test
    void abandonUploadRemovesThePartialFile() throws IOException {
        BlobUpload crashed = store.startUpload(KEY);
        crashed.accept(data(100, 3), 100);
        BlobUpload other = store.startUpload(OTHER_KEY);
        other.accept(data(10, 4), 10);
        assertEquals(2, regularFiles().size());

        store.abandonUpload(KEY, crashed.uploadId());

        List<Path> left = regularFiles();
        assertEquals(1, left.size());
        assertTrue(left.get(0).getFileName().toString().contains(other.uploadId()));
        assertFalse(store.exists(KEY));

        store.abandonUpload(KEY, crashed.uploadId()); // idempotent
        other.complete();
        assertTrue(store.exists(OTHER_KEY));
    }

    @Test
    void abandonUploadWithUnknownIdLeavesCompletedObjectAlone() throws IOException {
        upload(KEY, "keep".getBytes(), 4);
        store.abandonUpload(KEY, "00000000-0000-0000-0000-000000000000");
        assertTrue(store.exists(KEY));
        assertArrayEquals("keep".getBytes(), readAll(KEY, 0, 3));
    }

    @Test
    void deleteIsIdempotent() throws IOException {
        upload(KEY, "one".getBytes(), 3);
        upload(OTHER_KEY, "two".getBytes(), 3);

        store.delete(List.of(KEY));
        assertFalse(store.exists(KEY));
        assertTrue(store.exists(OTHER_KEY));

        store.delete(List.of(KEY));
        store.delete(List.of(KEY, OTHER_KEY, "m/ef/ef0123456789abcdef0123456789ef"));
        store.delete(List.of());
        assertFalse(store.exists(OTHER_KEY));
        assertEquals(List.of(), regularFiles());
    }

    @Test
    void completedUploadIsNotOverwrittenSilentlyByAnAbortedOne() throws IOException {
        upload(KEY, "first".getBytes(), 5);
        BlobUpload second = store.startUpload(KEY);
        second.accept("second".getBytes(), 6);
        second.abort();
        assertArrayEquals("first".getBytes(), readAll(KEY, 0, 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "../../etc/passwd",
            "m/ab/../../../../tmp/x",
            "m/../../outside-root",
            "..",
            "m/ab/AB0123456789ABCDEF0123456789EF",
            "M/ab/ab0123456789abcdef0123456789ef",
            "m/ab",
            "short",
            "",
            "m/ab/ab01234.txt",
            "m\\ab\\ab0123456789abcdef0123456789ef",
            "m/ab/ab0123456789abcdef 0123456789",
            "/etc/passwd-x",
            "/m/ab/ab0123456789abcdef0123456789ef",
            "//tmp/valv-escape-test",
    })
    void unsafeKeysAreRejected(String key) throws IOException {
        // side-effect-free calls first, so that a key that slips through never writes anything
        assertThrows(IllegalArgumentException.class, () -> store.exists(key));
        assertThrows(IllegalArgumentException.class, () -> store.read(key, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> store.abandonUpload(key, "x"));
        assertThrows(IllegalArgumentException.class, () -> store.delete(List.of(key)));
        assertThrows(IllegalArgumentException.class, () -> store.startUpload(key));
        assertEquals(List.of(), regularFiles());
    }

    @Test
    void overlongKeyIsRejected() {
        String key = "m/ab/" + "a".repeat(124);
        assertEquals(129, key.length());
        assertThrows(IllegalArgumentException.class, () -> store.exists(key));
    }

    @Test
    void rejectionDoesNotEchoTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> store.exists("../../etc/passwd"));
        assertFalse(e.getMessage().contains("passwd"), e.getMessage());
    }

    @Test
    void objectsLiveUnderTheRoot() throws IOException {
        upload(KEY, "x".getBytes(), 1);
        Path root = dir.resolve("blobs").toRealPath();
        List<Path> files = regularFiles();
        assertEquals(1, files.size());
        assertTrue(files.get(0).toRealPath().startsWith(root));
        assertEquals(root.resolve(KEY), files.get(0).toRealPath());
    }

    @Test
    void aResumableWriteIsInvisibleUntilCompletedThenWhole() throws IOException {
        byte[] one = data(1000, 1);
        byte[] two = data(300, 2);
        String uploadId = store.startResumable(KEY);
        store.uploadPart(KEY, uploadId, 1, one, one.length);
        // a part written again (a retried request) replaces the first attempt
        store.uploadPart(KEY, uploadId, 2, data(300, 3), 300);
        store.uploadPart(KEY, uploadId, 2, two, two.length);
        assertFalse(store.exists(KEY));
        store.completeResumable(KEY, uploadId, List.of("1", "2"));
        byte[] whole = new byte[1300];
        System.arraycopy(one, 0, whole, 0, 1000);
        System.arraycopy(two, 0, whole, 1000, 300);
        try (InputStream in = store.read(KEY, 0, 1299).content()) {
            assertArrayEquals(whole, in.readAllBytes());
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "only the object remains");
        }
    }

    @Test
    void anAbandonedResumableWriteLeavesNoPart() throws IOException {
        String uploadId = store.startResumable(KEY);
        store.uploadPart(KEY, uploadId, 1, data(100, 1), 100);
        store.abandonUpload(KEY, uploadId);
        assertFalse(store.exists(KEY));
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }
}
