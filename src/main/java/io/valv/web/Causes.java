package io.valv.web;

/** The innermost cause of a failure, for a log line that says what went wrong without a stack trace. */
public final class Causes {

    private static final int MAX_MESSAGE = 200;

    private Causes() {
    }

    /** The innermost cause ({@code t} itself when it has none); a cause that names itself ends the walk. */
    public static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The innermost cause's message, at most 200 characters, or its class name when it has none. */
    public static String rootMessage(Throwable t) {
        Throwable root = root(t);
        String m = root.getMessage();
        return m == null ? root.getClass().getSimpleName() : m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) : m;
    }
}
