package dev.tokenauth.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

import dev.tokenauth.StoreUnavailableException;
import dev.tokenauth.log.LogText;
import dev.tokenauth.webhook.WebhookSender;

/**
 * Runs the webhook's sender on a thread of its own, a round every {@link #POLL} (a round delivers every event due):
 * never the maintenance thread, whose writes must not wait on a slow receiver, and never a request's.
 */
final class WebhookDeliveries implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WebhookDeliveries.class.getName());
    /** How often the outbox is looked at: the usual delay between a commit and its delivery. */
    static final Duration POLL = Duration.ofSeconds(1);

    private final WebhookSender sender;
    private final Duration timeout;
    private final ScheduledExecutorService executor;
    private long failedRounds;

    /** @param timeout the receiver's, which bounds how long a stop waits for an attempt under way */
    WebhookDeliveries(WebhookSender sender, Duration timeout) {
        this.sender = sender;
        this.timeout = timeout;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tokenauth-webhook");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::round, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            sender.deliverDue();
            if (failedRounds > 0) {
                long failed = failedRounds;
                failedRounds = 0;
                LOG.info(() -> "Webhook sender works again after " + failed + " failed rounds");
            }
        } catch (RuntimeException e) {
            // The outbox cannot be read (the database is away, which its availability logs): the next round retries.
            // Said once for the whole failure, not at every round.
            if (failedRounds++ == 0) {
                String why = e instanceof StoreUnavailableException ? LogText.escape(e.getMessage()) : LogText.fault(e);
                LOG.warning(() -> "Webhook sender cannot read its outbox (" + why + "); events wait, retried every "
                        + POLL.toSeconds() + " s");
            }
        }
    }

    /** A name for this node's sender, unique among the nodes: the host's and one of this start. */
    static String senderName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        String start = UUID.randomUUID().toString().substring(0, 8);
        String name = host.length() > 50 ? host.substring(0, 50) : host;
        return name + "/" + start;
    }

    /**
     * Stops the sender, before the database closes: waits for an attempt under way (its connection and its answer,
     * each within the timeout), whose event stays claimed until the claim runs out if it is cut short.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(timeout.multipliedBy(2).plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
