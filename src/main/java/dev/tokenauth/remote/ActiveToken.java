package dev.tokenauth.remote;

import java.time.Instant;

import dev.tokenauth.token.AuthenticatedToken;

/**
 * What the token service said of an active token: who it authenticates, and when it ends ({@code null}: never), past
 * which a cached answer is never used.
 */
record ActiveToken(AuthenticatedToken token, Instant expiresAt) {
}
