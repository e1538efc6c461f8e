package dev.tokenauth.site;

import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.HeadResponse;
import dev.tokenauth.web.JsonResponses;
import dev.tokenauth.web.TokenAuthFilter;

import java.io.IOException;
import java.util.Enumeration;

import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * In front of {@link TokenAuthFilter} on {@code /metrics}: answers the requests that read the metrics without a user
 * (a GET or HEAD with exactly one {@code Authorization: Bearer <tokenauth.metrics.token>}, or any GET or HEAD when
 * {@code tokenauth.metrics=open}), and 404 for everything while the metrics are off. Every other request goes on
 * to {@link TokenAuthFilter} and {@link MetricsServlet}, where only admins read them; a wrong secret is a bad
 * credential there like any other (401, counted against the address's allowance of failed tokens).
 */
public class MetricsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private transient Metrics metrics;
    private transient MetricsAccess access;

    @Override
    public void init(FilterConfig config) throws ServletException {
        super.init(config);
        AppServices services = AppServices.from(config.getServletContext());
        metrics = services.metrics();
        access = services.metricsAccess();
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (access.mode() == MetricsAccess.Mode.OFF) {
            response.setHeader("Cache-Control", "no-store");
            JsonResponses.failure(response, HttpServletResponse.SC_NOT_FOUND, "Not found.");
            return;
        }
        boolean head = "HEAD".equals(request.getMethod());
        if ((head || "GET".equals(request.getMethod()))
                && (access.mode() == MetricsAccess.Mode.OPEN || access.isScrapeSecret(onlyAuthorization(request)))) {
            if (head) {
                HeadResponse answer = new HeadResponse(response);
                MetricsServlet.write(metrics, answer);
                answer.finish();
            } else {
                MetricsServlet.write(metrics, response);
            }
            return;
        }
        chain.doFilter(request, response);
    }

    /** The request's Authorization header when it has exactly one, else null. */
    private static String onlyAuthorization(HttpServletRequest request) {
        Enumeration<String> headers = request.getHeaders("Authorization");
        if (headers == null || !headers.hasMoreElements()) {
            return null;
        }
        String first = headers.nextElement();
        return headers.hasMoreElements() ? null : first;
    }
}
