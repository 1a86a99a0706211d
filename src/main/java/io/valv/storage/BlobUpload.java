package io.valv.storage;

import java.io.IOException;

import io.valv.crypto.PartSink;

/** One object being written part by part. Either {@link #complete()} or {@link #abort()} ends it. */
public interface BlobUpload extends PartSink {

    /** Identifies the in-progress upload so that a sweeper can abort it after a crash. */
    String uploadId();

    /** Makes the object durable and visible; returns only when it is. */
    void complete() throws IOException;

    /**
     * Discards every part written; safe to call more than once and after a failure.
     *
     * @return false when the store could not be told (it is down): the caller must leave a record so
     *         that the sweeper retries
     */
    boolean abort();
}
