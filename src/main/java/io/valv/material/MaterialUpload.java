package io.valv.material;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.valv.crypto.EncryptionResult;
import io.valv.crypto.PlaintextTooLargeException;
import io.valv.crypto.SegmentCipher;
import io.valv.crypto.StreamEncryptor;
import io.valv.security.Caller;
import io.valv.storage.BlobStore;
import io.valv.storage.BlobUpload;
import io.valv.web.ProblemException;
import io.valv.web.ProblemType;
import io.valv.web.ShutdownDrain;
import io.valv.web.UploadPace;

/**
 * Streams one upload: request body → SHA-256 + segment encryption → multipart parts to the object
 * store. The material becomes {@code stored} only after the store has confirmed the whole object; on
 * any failure (client gone, digest mismatch, oversize, store error) the upload is aborted and the row
 * removed, so neither a stored row nor an orphan object remains.
 */
@ApplicationScoped
class MaterialUpload {

    private final MaterialService materials;
    private final BlobStore blobs;
    private final UploadConfig config;
    private final ShutdownDrain drain;
    private final UploadPace pace;

    MaterialUpload(MaterialService materials, BlobStore blobs, UploadConfig config, ShutdownDrain drain,
            UploadPace pace) {
        this.materials = materials;
        this.blobs = blobs;
        this.config = config;
        this.drain = drain;
        this.pace = pace;
    }

    Material upload(Caller caller, UUID jobId, UploadRequest request, InputStream body) {
        // a shutdown that cuts this upload off waits for its roll-back below
        try (ShutdownDrain.Work work = drain.upload()) {
            return store(caller, jobId, request, pace.watch(body));
        }
    }

    private Material store(Caller caller, UUID jobId, UploadRequest request, InputStream body) {
        long maxSize = config.maxSize().asLongValue();
        if (request.declaredLength() > maxSize) {
            throw tooLarge(maxSize);
        }
        MaterialService.PreparedUpload prepared = materials.prepareUpload(caller, jobId, request.filename(),
                request.mediaType(), request.personalData());
        BlobUpload upload = null;
        boolean completed = false;
        try {
            upload = blobs.startUpload(prepared.objectKey());
            materials.recordUploadId(prepared.materialId(), upload.uploadId());
            SegmentCipher cipher = new SegmentCipher(prepared.dataKey(), prepared.header(), prepared.materialId());
            EncryptionResult result = new StreamEncryptor(cipher, blobs.segmentsPerPart(), maxSize).encrypt(body, upload);
            if (request.expectedSha256().isPresent()
                    && !MessageDigest.isEqual(request.expectedSha256().get(), result.sha256())) {
                throw ProblemException.badRequest("digest-mismatch",
                        "The body does not match its Content-Digest; nothing was stored.");
            }
            if (request.declaredLength() >= 0 && request.declaredLength() != result.plaintextSize()) {
                throw ProblemException.badRequest("incomplete-body",
                        "The body ended before Content-Length; nothing was stored.");
            }
            upload.complete();
            completed = true;
            return materials.markStored(caller, prepared.materialId(), result.plaintextSize(), result.ciphertextSize(),
                    result.sha256());
        } catch (PlaintextTooLargeException e) {
            fail(prepared, upload);
            throw tooLarge(maxSize);
        } catch (UploadPace.TooSlow e) {
            fail(prepared, upload);
            throw new ProblemException(ProblemType.BODY_TOO_SLOW, "The body arrived too slowly (" + e.getMessage()
                    + "); nothing was stored. Use a resumable upload on a slow link.");
        } catch (IOException e) {
            fail(prepared, upload);
            // Either the client went away mid-body or the store failed; the caller may not even be listening.
            Log.warnf("Upload of material %s failed and was rolled back: %s", prepared.materialId(),
                    e.getClass().getSimpleName());
            throw new ProblemException(503, "storage-unavailable", "Upload failed",
                    "The upload could not be completed; nothing was stored. Retry later.");
        } catch (RuntimeException e) {
            if (completed) {
                // the object is whole but could not become `stored` (its job, DPA or client closed meanwhile,
                // or the audit log refused): no abort can remove it any more, so it is deleted now
                failAfterComplete(prepared);
            } else {
                fail(prepared, upload);
            }
            throw e;
        } finally {
            Arrays.fill(prepared.dataKey(), (byte) 0);
        }
    }

    private void fail(MaterialService.PreparedUpload prepared, BlobUpload upload) {
        boolean storeClean = upload == null || upload.abort();
        try {
            if (storeClean) {
                materials.discardUpload(prepared.materialId());
            } else {
                materials.markFailed(prepared.materialId());
            }
        } catch (RuntimeException e) {
            // the row stays `uploading`; the sweeper removes it once it is stale
            Log.warnf("Could not record failed upload %s now; the sweeper will", prepared.materialId());
        }
    }

    /** Deletes the completed object and the row; when the store refuses, the sweeper does it later. */
    private void failAfterComplete(MaterialService.PreparedUpload prepared) {
        try {
            blobs.delete(List.of(prepared.objectKey()));
            materials.discardUpload(prepared.materialId());
        } catch (IOException | RuntimeException e) {
            try {
                materials.markFailed(prepared.materialId());
            } catch (RuntimeException again) {
                Log.warnf("Could not record failed upload %s now; the sweeper will", prepared.materialId());
            }
        }
    }

    private static ProblemException tooLarge(long maxSize) {
        return new ProblemException(413, "too-large", "Content too large",
                "Uploads are limited to " + maxSize + " bytes; nothing was stored.");
    }

    /** The validated upload headers. {@code declaredLength} is -1 when the body is chunked. */
    record UploadRequest(String filename, String mediaType, boolean personalData, Optional<byte[]> expectedSha256,
            long declaredLength) {
    }
}
