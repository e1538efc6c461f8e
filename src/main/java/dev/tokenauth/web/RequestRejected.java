package dev.tokenauth.web;

/** A request refused with a status and a message for the client; thrown by servlets, answered by {@link JsonServlet}. */
public final class RequestRejected extends Exception {

    private static final long serialVersionUID = 1L;
    private final int status;

    public RequestRejected(int status, String msg) {
        super(msg, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
