package dev.tokenauth.site;

import dev.tokenauth.web.AppServices;
import dev.tokenauth.web.JsonServlet;
import dev.tokenauth.web.RequestRejected;
import dev.tokenauth.web.TokenAuthFilter;

import java.io.IOException;

import dev.tokenauth.metrics.Metrics;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /metrics} for admins, by login session or token ({@link TokenAuthFilter} guards the path, and
 * {@link #admin} checks the admin as every admin endpoint does): the meters in Prometheus' text format. A scraper
 * with the shared secret, and anyone when the metrics are open, are answered before the filter by
 * {@link MetricsFilter}.
 */
public class MetricsServlet extends JsonServlet {

    private static final long serialVersionUID = 1L;

    private transient Metrics metrics;

    public MetricsServlet() {
        super("GET");
    }

    @Override
    public void init() throws ServletException {
        super.init();
        metrics = metrics(this.getServletContext());
    }

    @Override
    protected void handle(HttpServletRequest request, HttpServletResponse response)
            throws IOException, RequestRejected {
        admin(request);
        write(metrics, response);
    }

    /** The one place that writes a scrape: 200, the registry's text format and its Content-Type, never cached. */
    static void write(Metrics metrics, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(Metrics.CONTENT_TYPE);
        metrics.scrape(response.getOutputStream());
    }

    static Metrics metrics(jakarta.servlet.ServletContext context) throws ServletException {
        return AppServices.from(context).metrics();
    }
}
