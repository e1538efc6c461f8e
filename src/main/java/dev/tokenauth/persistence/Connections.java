package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens a connection of the application's own to its database, beside EclipseLink's: the server's DataSource, or
 * the configured JDBC URL. For what must hold one connection for a while (the change channel's LISTEN, the
 * start-up lock), never for the requests' work.
 */
@FunctionalInterface
interface Connections {
    Connection open() throws SQLException;
}
