package dev.tokenauth.web;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code /login}: GET serves the form; POST ({@code username}, {@code password}) logs in with a new session
 * and answers 303 to {@code /}; wrong credentials get 401 and leave no user in the session.
 */
public class LoginServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;
    static final String WRONG_CREDENTIALS = "Invalid username or password.";

    public LoginServlet() {
        super("GET", "POST");
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        if ("GET".equals(request.getMethod())) {
            writeForm(response, HttpServletResponse.SC_OK, null);
            return;
        }
        if (SameOriginPolicy.isCrossSite(request)) {
            throw new RequestRejected(HttpServletResponse.SC_FORBIDDEN, "Cross-site request refused.");
        }
        SessionLogin sessionLogin = services().sessionLogin();
        Optional<String> user = services().users().authenticate(request.getParameter("username"),
                request.getParameter("password"));
        if (user.isEmpty()) {
            sessionLogin.logout(request);
            if (wantsHtml(request)) {
                writeForm(response, HttpServletResponse.SC_UNAUTHORIZED, WRONG_CREDENTIALS);
                return;
            }
            throw new RequestRejected(HttpServletResponse.SC_UNAUTHORIZED, WRONG_CREDENTIALS);
        }
        sessionLogin.login(request, user.get());
        response.setStatus(HttpServletResponse.SC_SEE_OTHER);
        response.setHeader("Location", request.getContextPath() + "/");
    }

    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains("text/html");
    }

    private void writeForm(HttpServletResponse response, int status, String error) throws IOException {
        // The error is one of our fixed messages, never an echo of the input.
        HtmlPages.write(getServletContext(), response, status, "login.html",
                error == null ? Map.of() : Map.of("error", "<p class=\"error\" role=\"alert\">" + error + "</p>"));
    }
}
