package dev.tokenauth.web;

import java.io.IOException;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /api/whoami}: the caller's name. The smallest guarded endpoint, for checks and benchmarks.
 * <p>
 * Its answer depends on the user alone, so each user's is made once and kept: what a check or a benchmark of this
 * endpoint measures is the guard in front of it, not the building and writing of the same small JSON object (about a
 * tenth of a valid-token request's samples under load in the profile).
 */
public class WhoAmIServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    /** Bounded: in remote mode the names are another service's, as many as it has users. */
    static final int ANSWERS_KEPT = 10_000;

    private final transient Cache<String, FixedJsonAnswer> answers = Caffeine.newBuilder()
            .maximumSize(ANSWERS_KEPT)
            // Upkeep on the calling thread: no task of ours on the JVM's common pool.
            .executor(Runnable::run)
            .build();

    public WhoAmIServlet() {
        super("GET");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        RequestFields.read(request, RequestFields.From.QUERY, Set.of());
        String user = request.getRemoteUser();
        if (user == null) {
            // Mapped where no filter guards it: there is no one to name.
            JsonResponses.failure(response, HttpServletResponse.SC_UNAUTHORIZED, TokenRefusals.NOT_LOGGED_IN);
            return;
        }
        answers.get(user, WhoAmIServlet::answerFor).write(response);
    }

    static FixedJsonAnswer answerFor(String user) {
        return FixedJsonAnswer.success(JsonFactories.object().add("user", user));
    }
}
