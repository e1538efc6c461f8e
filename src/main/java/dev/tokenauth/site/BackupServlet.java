package dev.tokenauth.site;

import java.io.IOException;
import java.util.Set;

import dev.tokenauth.admin.DatabaseBackups;
import dev.tokenauth.web.Caller;
import dev.tokenauth.web.JsonFactories;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestFields;
import dev.tokenauth.web.RequestRejected;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code POST /api/admin/backup} (admins only, an empty JSON body or none): an online backup of the embedded
 * database now, answered with where it went. 409 when backups are off or the database is not embedded Derby, 500
 * when the backup failed (nothing of it is kept).
 */
public class BackupServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    public BackupServlet() {
        super("POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        Caller caller = admin(request);
        if (request.getContentLengthLong() > 0 || request.getContentType() != null) {
            RequestFields.read(request, RequestFields.From.JSON_BODY, Set.of());
        }
        DatabaseBackups backups = services().backups();
        if (!backups.on()) {
            throw new RequestRejected(HttpServletResponse.SC_CONFLICT, backups.off());
        }
        try {
            String where = backups.backUp(caller.actingUser(), request.getRemoteAddr()).toString();
            JsonResponses.success(response, JsonFactories.object().add("backup", where));
        } catch (DatabaseBackups.BackupFailed e) {
            throw new RequestRejected(HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }
}
