package dev.tokenauth.it;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.List;

import dev.tokenauth.web.Caller;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Added to the sample application by RemoteModeIT, under the guarded path: the caller tokenauth let in (user, token
 * id, scopes), and which classes of a database the application's class loader ever loaded. Test code only.
 */
@WebServlet("/api/probe")
public class RemoteProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    /** Classes that any start of EclipseLink, of Derby, or of tokenauth's own store would have loaded. */
    static final List<String> DATABASE_CLASSES = List.of("org.eclipse.persistence.jpa.PersistenceProvider",
            "org.eclipse.persistence.internal.jpa.EntityManagerFactoryImpl", "org.apache.derby.jdbc.EmbeddedDriver",
            "org.apache.derby.iapi.jdbc.InternalDriver", "dev.tokenauth.persistence.Database",
            "dev.tokenauth.persistence.JpaTokenStore");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObjectBuilder answer = Json.createObjectBuilder();
        Caller.of(request).ifPresent(caller -> {
            answer.add("user", caller.username());
            if (caller.tokenId() != null) {
                answer.add("token_id", caller.tokenId());
            }
            JsonArrayBuilder scopes = Json.createArrayBuilder();
            if (caller.scopes() != null) {
                caller.scopes().stream().sorted().forEach(scopes::add);
            }
            answer.add("scopes", scopes).add("has_write", caller.hasScope("write"));
        });
        answer.add("remote_user", String.valueOf(request.getRemoteUser()));
        JsonArrayBuilder loaded = Json.createArrayBuilder();
        try {
            Method findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
            findLoaded.setAccessible(true);
            ClassLoader application = getClass().getClassLoader();
            for (String name : DATABASE_CLASSES) {
                if (findLoaded.invoke(application, name) != null) {
                    loaded.add(name);
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            loaded.add("cannot tell: " + e);
        }
        answer.add("database_classes_loaded", loaded);
        response.setContentType("application/json");
        response.getWriter().write(answer.build().toString());
    }
}
