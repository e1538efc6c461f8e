package dev.tokenauth.webhook;

/** Where deliveries go: one POST of one event's payload, answered or failed. */
public interface WebhookReceiver {

    /** How an attempt ended: delivered (a 2xx answer), or failed with a short reason that names no secret. */
    record Attempt(boolean delivered, String failure) {

        public static Attempt ok() {
            return new Attempt(true, null);
        }

        public static Attempt failed(String why) {
            return new Attempt(false, why);
        }
    }

    /** Posts the event; never throws for the receiver's failures, which come back as a failed attempt. */
    Attempt post(Outbox.Event event);

    /** Where the deliveries go, for the log: scheme, host and port only (a webhook's path is often its secret). */
    String describe();
}
