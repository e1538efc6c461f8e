package dev.tokenauth.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Function;

import dev.tokenauth.token.TokenInfo;
import dev.tokenauth.token.TokenStore.Creation;

/**
 * Joins the creations of one owner that arrive while another of its creations holds the owner's turn into one
 * transaction, so that they share one commit. One owner's creations are serialised by its row lock anyway, each
 * transaction holding it until its commit is on disk; queued behind one another, they went at one commit each,
 * whatever the number of threads. Taken in turn, the waiting ones are done together by the thread whose turn it is
 * (flat combining): each still gets its own token, audit event and place under the limit, in the order it came.
 * <p>
 * Within this server, an owner's turn is a lock of its own here; across servers, the owner's row lock still is what
 * serialises creations, so that correctness never rests on this class: two turns of one owner at once (after the
 * race in {@link #create}'s clean-up) only wait for each other in the database, as before.
 */
final class CreationBatches {

    /**
     * The most creations in one transaction: its statements are each bounded by the database's timeout, so the wait
     * of the last of a batch stays bounded too.
     */
    static final int MOST_PER_BATCH = 16;

    /** One creation waiting for its turn: what it asks, then what it got (set under its owner's turn). */
    static final class Pending {
        final Long parentId;
        final Function<Optional<TokenInfo>, Creation> make;
        final int limit;
        private boolean done;
        private Optional<TokenInfo> created;
        private RuntimeException failure;

        Pending(Long parentId, Function<Optional<TokenInfo>, Creation> make, int limit) {
            this.parentId = parentId;
            this.make = make;
            this.limit = limit;
        }

        void created(Optional<TokenInfo> token) {
            created = token;
            done = true;
        }

        void failed(RuntimeException e) {
            failure = e;
            done = true;
        }

        private Optional<TokenInfo> outcome() {
            if (failure != null) {
                throw failure;
            }
            return created;
        }
    }

    /** An owner's turn and the creations waiting for it. */
    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock();
        final ConcurrentLinkedQueue<Pending> waiting = new ConcurrentLinkedQueue<>();
    }

    private final ConcurrentHashMap<String, Turn> turns = new ConcurrentHashMap<>();
    private final BiConsumer<String, List<Pending>> runBatch;

    /**
     * @param runBatch makes the owner's batch (in arrival order, at most {@link #MOST_PER_BATCH}) in one transaction
     *        and settles each of its creations, created or failed; it never throws
     */
    CreationBatches(BiConsumer<String, List<Pending>> runBatch) {
        this.runBatch = runBatch;
    }

    /** Makes {@code pending}, alone or with others of the owner's; its token, empty at the limit, or its failure. */
    Optional<TokenInfo> create(String owner, Pending pending) {
        Turn turn = turns.computeIfAbsent(owner, o -> new Turn());
        turn.waiting.add(pending);
        turn.lock.lock();
        try {
            // Whoever holds the turn makes everything waiting, so a creation is either done by an earlier holder
            // (which settled it before letting go of the turn) or still waiting for this one.
            while (!pending.done) {
                List<Pending> batch = take(turn.waiting);
                if (batch.isEmpty()) {
                    throw new IllegalStateException("a creation of " + owner + " neither done nor waiting");
                }
                runBatch.accept(owner, batch);
            }
        } finally {
            if (turn.waiting.isEmpty()) {
                // A creation that found this turn just before its removal still makes itself under it: at worst two
                // turns of one owner at once, which the owner's row lock serialises.
                turns.remove(owner, turn);
            }
            turn.lock.unlock();
        }
        return pending.outcome();
    }

    private static List<Pending> take(ConcurrentLinkedQueue<Pending> waiting) {
        List<Pending> batch = new ArrayList<>();
        Pending next;
        while (batch.size() < MOST_PER_BATCH && (next = waiting.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    /** How many creations of the owner wait for their turn (not the one in the database). */
    int waiting(String owner) {
        Turn turn = turns.get(owner);
        return turn == null ? 0 : turn.waiting.size();
    }

    /** Owners with a turn held or waited for: none once every creation is over. */
    int openTurns() {
        return turns.size();
    }
}
