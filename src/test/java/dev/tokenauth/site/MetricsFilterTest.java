package dev.tokenauth.site;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import dev.tokenauth.web.AppServices;
import dev.tokenauth.metrics.Metrics;
import dev.tokenauth.metrics.MetricsAccess;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** The requests {@link MetricsFilter} answers itself, before any user is looked for. */
class MetricsFilterTest {

    private final Metrics metrics = Metrics.prometheus();
    private final FilterChain chain = mock(FilterChain.class);
    private final HttpServletRequest request = mock(HttpServletRequest.class);
    private final HttpServletResponse response = mock(HttpServletResponse.class);
    private final MetricsFilter filter = new MetricsFilter();

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    @BeforeEach
    void openMetrics() throws Exception {
        ServletContext context = mock(ServletContext.class);
        AppServices services = mock(AppServices.class);
        when(services.metrics()).thenReturn(metrics);
        when(services.metricsAccess()).thenReturn(MetricsAccess.of("open", ""));
        when(context.getAttribute(AppServices.class.getName())).thenReturn(services);
        FilterConfig config = mock(FilterConfig.class);
        when(config.getServletContext()).thenReturn(context);
        filter.init(config);
    }

    @Test
    void doFilterWhenHeadOnOpenMetricsThenTheScrapesHeadersAndLengthWithoutABody() throws Exception {
        when(request.getMethod()).thenReturn("HEAD");
        when(response.getCharacterEncoding()).thenReturn("UTF-8");

        filter.doFilter(request, response, chain);

        verify(response).setStatus(200);
        verify(response).setHeader("Cache-Control", "no-store");
        verify(response).setContentType(Metrics.CONTENT_TYPE);
        ArgumentCaptor<Long> length = ArgumentCaptor.forClass(Long.class);
        verify(response).setContentLengthLong(length.capture());
        // The JVM's meters alone make a scrape of some kilobytes; HeadResponseTest shows the count is exact.
        assertTrue(length.getValue() > 1000, "Content-Length " + length.getValue());
        verify(response, never()).getOutputStream();
        verify(response, never()).getWriter();
        verifyNoInteractions(chain);
    }

    @Test
    void doFilterWhenGetOnOpenMetricsThenTheScrapeIsSent() throws Exception {
        when(request.getMethod()).thenReturn("GET");
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        when(response.getOutputStream()).thenReturn(new jakarta.servlet.ServletOutputStream() {
            @Override
            public void write(int b) {
                sent.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(jakarta.servlet.WriteListener listener) {
                throw new UnsupportedOperationException();
            }
        });

        filter.doFilter(request, response, chain);

        verify(response).setStatus(200);
        verify(response).setContentType(Metrics.CONTENT_TYPE);
        assertTrue(new String(sent.toByteArray(), java.nio.charset.StandardCharsets.UTF_8).contains("jvm_"),
                "the scrape is sent");
        verifyNoInteractions(chain);
    }
}
