package dev.tokenauth.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import org.flywaydb.core.api.migration.Context;

/**
 * Schema version 11: the rotations made before version 10 get their families, so that reuse detection covers them
 * too. Each successor (the ROTATED_TO of a token) gets its predecessor in ROTATED_FROM and the first token of the
 * chain in FAMILY_ID, each chain followed from its first token (one that was rotated but made by no rotation). A
 * chain whose middle was purged starts again after the gap: the purged token can no longer be presented. A token
 * that already has a family (made by version 10 or later) is left as it is. Only data changes.
 */
final class RotationFamilies extends JavaSchemaMigration {

    private static final Logger LOG = Logger.getLogger(RotationFamilies.class.getName());

    RotationFamilies() {
        super(11, "rotation families of earlier rotations");
    }

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        Map<Long, Long> next = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rotated = statement.executeQuery(
                        "SELECT ID, ROTATED_TO FROM TA_TOKEN WHERE ROTATED_TO IS NOT NULL ORDER BY ID")) {
            while (rotated.next()) {
                next.put(rotated.getLong(1), rotated.getLong(2));
            }
        }
        // Each chain from its first token (rotated, but no rotation's successor) on; successor -> {from, family}.
        Map<Long, long[]> successors = new LinkedHashMap<>();
        Set<Long> isSuccessor = new HashSet<>(next.values());
        for (Long first : next.keySet()) {
            if (isSuccessor.contains(first)) {
                continue;
            }
            long current = first;
            while (next.containsKey(current) && !successors.containsKey(next.get(current))) {
                long successor = next.get(current);
                successors.put(successor, new long[] {current, first});
                current = successor;
            }
        }
        int updated = 0;
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE TA_TOKEN SET ROTATED_FROM = ?, FAMILY_ID = ? WHERE ID = ? AND FAMILY_ID IS NULL")) {
            int batched = 0;
            for (Map.Entry<Long, long[]> s : successors.entrySet()) {
                update.setLong(1, s.getValue()[0]);
                update.setLong(2, s.getValue()[1]);
                update.setLong(3, s.getKey());
                update.addBatch();
                if (++batched % 1000 == 0 || batched == successors.size()) {
                    for (int n : update.executeBatch()) {
                        updated += Math.max(n, 0);
                    }
                }
            }
        }
        if (updated > 0) {
            int count = updated;
            LOG.info(() -> "Gave " + count + " tokens made by rotations before version 10 their rotation family");
        }
    }
}
