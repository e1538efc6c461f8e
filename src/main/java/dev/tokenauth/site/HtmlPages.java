package dev.tokenauth.site;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Writes the HTML pages kept under {@code /WEB-INF/pages/}, where no one can fetch them but through the
 * servlet that decides who may see them. A page may hold {@code <!--name-->} slots filled with fixed text.
 */
final class HtmlPages {

    static final String DIRECTORY = "/WEB-INF/pages/";

    private HtmlPages() {
    }

    static void write(ServletContext context, HttpServletResponse response, int status, String page,
            Map<String, String> slots) throws IOException {
        String html = read(context, page);
        for (Map.Entry<String, String> slot : slots.entrySet()) {
            html = html.replace("<!--" + slot.getKey() + "-->", slot.getValue());
        }
        response.setStatus(status);
        response.setContentType("text/html;charset=UTF-8");
        // Pages show a user's own data: never keep them in a shared or back-button cache.
        response.setHeader("Cache-Control", "no-store");
        try (Writer out = response.getWriter()) {
            out.write(html);
        }
    }

    private static String read(ServletContext context, String page) throws IOException {
        try (InputStream in = context.getResourceAsStream(DIRECTORY + page)) {
            if (in == null) {
                throw new IOException("Missing page " + DIRECTORY + page + " in the WAR");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
