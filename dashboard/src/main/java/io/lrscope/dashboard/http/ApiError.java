package io.lrscope.dashboard.http;

/** A request the dashboard refuses, with the HTTP status and a message a person can act on. */
public final class ApiError extends RuntimeException {

    private final int status;

    public ApiError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
