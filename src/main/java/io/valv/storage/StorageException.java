package io.valv.storage;

import java.io.IOException;

/** The object store failed or could not be reached. */
public class StorageException extends IOException {

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
