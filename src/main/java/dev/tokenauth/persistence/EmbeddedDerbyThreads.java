package dev.tokenauth.persistence;

import java.lang.reflect.Field;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.derby.iapi.services.context.ContextService;

/**
 * Lets go of what embedded Derby keeps on a thread once that thread's unit of work is done, so that none of
 * Tomcat's request threads holds a reference into this application when it stops.
 *
 * <p>Derby's {@code ContextService} keeps, in a {@code ThreadLocal}, the {@code ContextManager} of the last
 * connection each thread called, and clears it only when that context stack is empty, that is when the connection
 * is closed on that thread ({@code ContextService.resetCurrentContextManager}: {@code if (cm.isEmpty())
 * tcl.set(null)}). EclipseLink's pool keeps its connections open and lends them to whichever thread asks, so every
 * request thread that ever read the database kept a {@code ContextManager}, a class of this application's
 * class loader; Tomcat found one per thread at every stop and undeploy ({@code checkThreadLocalMapForLeaks},
 * SEVERE), and would have kept the old class loader alive until it renewed those threads. Shutting Derby down
 * does not help: it drops its own reference to the {@code ThreadLocal} but cannot reach the threads' maps.
 *
 * <p>That per-thread value is, in Derby's words, only "fast access to a list of candidate contexts": a thread not
 * inside a Derby call ({@code getCurrentContextManager()} is null) loses nothing when it is removed, and Derby
 * sets it again on the thread's next call. Derby offers no public way to remove it, so this reads the private
 * field; if a Derby version lacks it, start-up says so once and the application works as before. Whether the
 * database is embedded Derby at all, {@link Database#embeddedDerby} says.
 */
final class EmbeddedDerbyThreads {

    private static final Logger LOG = Logger.getLogger(EmbeddedDerbyThreads.class.getName());
    private static final Field THREAD_CONTEXT_LIST = threadContextList();

    private EmbeddedDerbyThreads() {
    }

    /**
     * Removes Derby's per-thread reference from the calling thread, unless the thread is inside a Derby call. Call
     * it after the unit of work, when its entity manager is closed.
     */
    static void release() {
        if (THREAD_CONTEXT_LIST == null) {
            return;
        }
        try {
            ContextService service = ContextService.getFactory();
            if (service.getCurrentContextManager() == null) {
                Object list = THREAD_CONTEXT_LIST.get(service);
                if (list instanceof ThreadLocal<?> perThread) {
                    perThread.remove();
                }
            }
        } catch (RuntimeException | IllegalAccessException e) {
            // Derby is shut down (ShutdownException) or not booted: nothing of it is left to keep.
        }
    }

    private static Field threadContextList() {
        try {
            Field field = ContextService.class.getDeclaredField("threadContextList");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "This Derby has no ContextService.threadContextList (" + e
                    + "); Tomcat may report Derby ThreadLocals on its request threads when the application stops");
            return null;
        }
    }
}
