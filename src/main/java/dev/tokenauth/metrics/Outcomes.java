package dev.tokenauth.metrics;

/**
 * What the web layer tells the metrics about the requests it decides on. No Micrometer here: the filter and the
 * servlets know only this interface, and an application that keeps no metrics leaves it {@link #NONE}.
 * Implementations must be cheap and must not fail: they run on every guarded request.
 */
public interface Outcomes {


    /** Counts nothing. */
    Outcomes NONE = new Outcomes() {
        @Override
        public void authentication(Authentication outcome) {
        }

        @Override
        public void loginThrottled() {
        }
    };

    /** How {@code TokenAuthFilter} answered a request: let through (by token or session) or refused (why). */
    enum Authentication {
        /** Let through: an active token. */
        TOKEN,
        /** Let through: a login session. */
        SESSION,
        /** 401: an unusable Authorization header or a bad token (the reason is counted by the token layer). */
        INVALID_TOKEN,
        /** 401: no Authorization header and no (or an ended) login session. */
        NOT_LOGGED_IN,
        /** 403: a request riding on a login session from another site. */
        CROSS_SITE,
        /** 409: the user an admin acted as was disabled meanwhile. */
        ACTING_ENDED,
        /** 429: the client address used up its allowance of failed tokens. */
        THROTTLED,
        /** 503: the database did not answer. */
        UNAVAILABLE;

        /** The value of the {@code outcome} tag: the name in lower case. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    void authentication(Authentication outcome);

    /** A login refused with 429 by the login throttle. */
    void loginThrottled();
}
