package dev.tokenauth.persistence;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.eclipse.persistence.logging.JavaLog;
import org.eclipse.persistence.logging.SessionLogEntry;

/**
 * EclipseLink's java.util.logging log, with its records saying where they come from. EclipseLink's own JavaLog
 * leaves a record's source class and method empty, which Tomcat's log format prints as {@code null.null}: an
 * operator cannot tell the line is EclipseLink's, nor raise or silence it by name. Here the source is
 * {@code org.eclipse.persistence} and the message's category ({@code connection}, {@code sql}, ...), and the logger
 * stays EclipseLink's, so its levels are set as before ({@code eclipselink.logging.level}, or the logger names in
 * the server's logging configuration).
 */
public class EclipseLinkLog extends JavaLog {

    @Override
    protected void internalLog(SessionLogEntry entry, Level javaLevel, Logger logger) {
        String category = entry.getNameSpace() == null ? "default" : entry.getNameSpace();
        super.internalLog(entry, javaLevel, new Logger(logger.getName(), null) {
            @Override
            public void log(LogRecord record) {
                record.setSourceClassName("org.eclipse.persistence");
                record.setSourceMethodName(category);
                logger.log(record);
            }
        });
    }
}
