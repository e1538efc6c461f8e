package dev.tokenauth.persistence;

import org.eclipse.persistence.config.SessionCustomizer;
import org.eclipse.persistence.sessions.Session;

/**
 * No retries on a failed query: EclipseLink's default (3 attempts, 5 seconds apart) made every request wait 10
 * seconds for a stopped database before its 503. The request path fails closed at once; the background tasks
 * retry on their next run. Named in the persistence unit's properties by {@link Database}.
 */
public class FailFastCustomizer implements SessionCustomizer {

    @Override
    public void customize(Session session) {
        session.getLogin().setQueryRetryAttemptCount(0);
        session.getLogin().setDelayBetweenConnectionAttempts(0);
    }
}
