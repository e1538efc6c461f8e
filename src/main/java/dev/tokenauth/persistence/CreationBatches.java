package dev.tokenauth.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenStore.Creation;

/**
 * Joins the creations of one owner that arrive while another of its creations holds the owner's turn into one
 * transaction, so that they share one commit. One owner's creations are serialised by its row lock anyway, each
 * transaction holding it until its commit is on disk; queued behind one another, they went at one commit each,
 * whatever the number of threads. The thread whose turn it is makes everything waiting (flat combining): each
 * creation still gets its own token, audit event and place under the limit, in the order it came, and its thread
 * goes on as soon as its own batch is over.
 * <p>
 * A creation waits for the turn at most {@code wait} (the database's timeout), then gives up (the store unavailable,
 * as the database's availability hears) unless a batch already took it, whose statements the database's timeout bounds.
 * Within this server, an owner has one turn at a time; across servers, the owner's row lock still serialises
 * creations, so that no rule rests on this class.
 */
final class CreationBatches {

    /** The most creations in one transaction: each of its statements is bounded, so its length is too. */
    static final int MOST_PER_BATCH = 16;

    /** One creation waiting for its turn: what it asks, then what it got (set by whoever made it). */
    static final class Pending {
        final Long parentId;
        final Function<Optional<TokenInfo>, Creation> make;
        final int limit;
        private Optional<TokenInfo> created;
        private Throwable failure;
        private volatile boolean settled;

        Pending(Long parentId, Function<Optional<TokenInfo>, Creation> make, int limit) {
            this.parentId = parentId;
            this.make = make;
            this.limit = limit;
        }

        void created(Optional<TokenInfo> token) {
            created = Objects.requireNonNull(token, "token");
            settled = true;
        }

        void failed(Throwable e) {
            failure = Objects.requireNonNull(e, "e");
            settled = true;
        }

        boolean settled() {
            return settled;
        }

        private Optional<TokenInfo> outcome() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return created;
        }
    }

    /** An owner's turn: whether a thread holds it, and the creations waiting (guarded by the turn's monitor). */
    private static final class Turn {
        final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
        boolean held;
    }

    private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();
    private final LongAdder batchesRun = new LongAdder();
    private final BiConsumer<String, List<Pending>> runBatch;
    private final long waitNanos;
    private final Function<TimeoutException, RuntimeException> timedOut;

    /**
     * @param runBatch makes the owner's batch (in arrival order, at most {@link #MOST_PER_BATCH}) and settles each of
     *        its creations, created or failed
     * @param wait the longest wait for the owner's turn
     * @param timedOut what a creation that waited longer throws (and reports)
     */
    CreationBatches(BiConsumer<String, List<Pending>> runBatch, Duration wait,
            Function<TimeoutException, RuntimeException> timedOut) {
        this.runBatch = Objects.requireNonNull(runBatch, "runBatch");
        this.waitNanos = wait.toNanos();
        this.timedOut = Objects.requireNonNull(timedOut, "timedOut");
    }

    /** Makes {@code pending}, alone or with others of the owner's; its token, empty at the limit, or its failure. */
    Optional<TokenInfo> create(String owner, Pending pending) {
        // Added under the map's lock for the owner, so that a turn is never dropped with a creation in it.
        Turn turn = turns.compute(owner, (o, t) -> {
            Turn joined = t == null ? new Turn() : t;
            joined.waiting.add(pending);
            return joined;
        });
        if (awaitTurn(turn, pending)) {
            holdTurn(owner, turn, pending);
        }
        return pending.outcome();
    }

    /** With the owner's turn: makes what waits, batch after batch, until {@code pending} is made; then lets go. */
    private void holdTurn(String owner, Turn turn, Pending pending) {
        // An interrupt of this request must not fail the others' creations in its batches: kept for after.
        boolean interrupted = Thread.interrupted();
        try {
            while (!pending.settled()) {
                List<Pending> batch = take(turn.waiting);
                if (batch.isEmpty()) {
                    throw new IllegalStateException("a creation of " + owner + " neither made nor waiting");
                }
                runSettlingAll(owner, batch);
                synchronized (turn) {
                    turn.notifyAll(); // the batch's threads go on now, not when this one is done
                }
            }
        } finally {
            if (!pending.settled()) {
                // Something escaped a batch of others' (an Error): this creation leaves with it, never made.
                turn.waiting.remove(pending);
            }
            synchronized (turn) {
                turn.held = false;
                turn.notifyAll();
            }
            turns.computeIfPresent(owner, (o, t) -> {
                synchronized (t) {
                    return t.waiting.isEmpty() && !t.held ? null : t;
                }
            });
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Waits until {@code pending} is made by another thread (false) or the turn is free, and takes it (true); past
     * the wait, gives up unless a batch has taken the creation, whose end it then waits for.
     */
    private boolean awaitTurn(Turn turn, Pending pending) {
        long deadline = System.nanoTime() + waitNanos;
        boolean interrupted = false;
        try {
            synchronized (turn) {
                while (!pending.settled() && turn.held) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 && turn.waiting.remove(pending)) {
                        throw timedOut.apply(new TimeoutException(
                                "waited " + Duration.ofNanos(waitNanos) + " for the owner's earlier creations"));
                    }
                    try {
                        // Once taken by a batch, until that batch ends: its statements are bounded.
                        TimeUnit.NANOSECONDS.timedWait(turn, left > 0 ? left : TimeUnit.MILLISECONDS.toNanos(100));
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (pending.settled()) {
                    return false;
                }
                turn.held = true;
                return true;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs the batch; whatever escapes it settles the creations it left unsettled, so that none waits forever. */
    private void runSettlingAll(String owner, List<Pending> batch) {
        batchesRun.increment();
        try {
            runBatch.accept(owner, batch);
        } catch (RuntimeException | Error e) {
            for (Pending p : batch) {
                if (!p.settled()) {
                    p.failed(e);
                }
            }
            throw e;
        }
    }

    private static List<Pending> take(ConcurrentLinkedQueue<Pending> waiting) {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MOST_PER_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    /** How many creations of the owner wait to be taken into a batch. */
    int waiting(String owner) {
        Turn turn = turns.get(owner);
        return turn == null ? 0 : turn.waiting.size();
    }

    /** How many batches were run, each one transaction (or, after a refused statement, one per creation). */
    long batchesRun() {
        return batchesRun.sum();
    }

    /** Owners with a turn held or waited for: none once every creation is over. */
    int openTurns() {
        return turns.size();
    }
}
