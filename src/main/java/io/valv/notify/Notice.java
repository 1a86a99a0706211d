package io.valv.notify;

import java.util.Map;

/** One notice for a client: its event type and the metadata it carries (never content, keys or secrets). */
record Notice(String type, Map<String, Object> data) {
}
