package dev.tokenauth.throttle;

import dev.tokenauth.EventKind;

/**
 * What a throttle locked when failed attempts used up an allowance: one constant per throttle and key, each a
 * value of the lockout metric's {@code throttle} tag. A new kind of lockout is a new constant here.
 */
public enum Lockout implements EventKind {
    /** A client address, for its token requests. */
    TOKEN_ADDRESS("token_address"),
    /** An account, for password logins. */
    LOGIN_ACCOUNT("login_account"),
    /** A client address, for password logins. */
    LOGIN_ADDRESS("login_address"),
    /** A trusted device (a browser with a device cookie) of an account, for password logins. */
    LOGIN_DEVICE("login_device");

    private final String tag;

    Lockout(String tag) {
        this.tag = tag;
    }

    @Override
    public String tag() {
        return tag;
    }
}
