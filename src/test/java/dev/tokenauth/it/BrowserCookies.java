package dev.tokenauth.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A cookie jar that sends cookies as browsers do (RFC 6265: {@code Cookie: a=1; b=2}). The JDK's own sends a cookie
 * whose {@code Set-Cookie} had {@code Max-Age} in the obsolete RFC 2965 form ({@code $Version="1"; a="1";
 * $Path="/"}), which Tomcat 11 no longer reads, so that such a cookie would seem absent there though every browser
 * sends it.
 */
final class BrowserCookies extends CookieManager {

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        boolean secure = "https".equalsIgnoreCase(uri.getScheme());
        String header = getCookieStore().get(uri).stream()
                .filter(c -> !c.hasExpired())
                .filter(c -> !c.getSecure() || secure)
                .filter(c -> c.getPath() == null || path.startsWith(c.getPath()))
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(Collectors.joining("; "));
        return header.isEmpty() ? Map.of() : Map.of("Cookie", List.of(header));
    }
}
