package dev.tokenauth.web;

import java.io.IOException;
import java.io.Writer;
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

    private static void writeForm(HttpServletResponse response, int status, String error) throws IOException {
        response.setStatus(status);
        response.setContentType("text/html");
        response.setCharacterEncoding("UTF-8");
        try (Writer out = response.getWriter()) {
            out.write("""
                    <!DOCTYPE html>
                    <html lang="en"><head><meta charset="utf-8"><title>Log in · tokenauth</title></head>
                    <body><main>
                    <h1>Log in</h1>
                    """);
            if (error != null) {
                // A fixed message, never an echo of the input.
                out.write("<p role=\"alert\">" + error + "</p>\n");
            }
            out.write("""
                    <form method="post" action="login">
                    <label>Username <input name="username" autocomplete="username" required></label>
                    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                    <button type="submit">Log in</button>
                    </form>
                    </main></body></html>
                    """);
        }
    }
}
