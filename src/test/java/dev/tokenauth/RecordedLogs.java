package dev.tokenauth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a logger (and the loggers below it) writes while a test listens, for tests that assert on the log: from
 * {@link #of} until {@link #close}, which stops listening.
 */
public final class RecordedLogs extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private RecordedLogs(Logger logger) {
        this.logger = logger;
    }

    /** Starts recording what {@code logger} logs. */
    public static RecordedLogs of(Logger logger) {
        RecordedLogs recorded = new RecordedLogs(logger);
        logger.addHandler(recorded);
        return recorded;
    }

    /** The records so far, oldest first. */
    public List<LogRecord> records() {
        return records;
    }

    /** The messages so far, oldest first. */
    public List<String> messages() {
        return records.stream().map(LogRecord::getMessage).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    /** Stops recording; the records stay readable. */
    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
