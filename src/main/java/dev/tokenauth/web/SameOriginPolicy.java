package dev.tokenauth.web;

import java.net.URI;
import java.net.URISyntaxException;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells a browser's cross-site request from a same-origin one, for requests that a login session
 * authenticates. Browsers send {@code Sec-Fetch-Site} (and {@code Origin} on unsafe methods); older ones send at
 * most a {@code Referer}; clients such as curl send none of them and hold no one else's session, so they pass.
 */
public final class SameOriginPolicy {

    private SameOriginPolicy() {
    }

    public static boolean isCrossSite(HttpServletRequest request) {
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null) {
            // "none": the user typed the address or used a bookmark.
            return !("same-origin".equals(site) || "none".equals(site));
        }
        String origin = request.getHeader("Origin");
        if (origin != null) {
            return !origin.equalsIgnoreCase(ownOrigin(request));
        }
        // A browser without Fetch Metadata sends no Origin on a GET, but may name the page that linked here.
        String referer = request.getHeader("Referer");
        return !isBlank(referer) && !ownOrigin(request).equalsIgnoreCase(originOf(referer));
    }

    /**
     * Whether a request comes from a browser (by its {@code User-Agent}) that says nothing of where it comes from:
     * none of {@code Sec-Fetch-Site}, {@code Origin} and {@code Referer}. A current browser always sends
     * {@code Sec-Fetch-Site} (a typed address or a bookmark {@code none}); an old one sends none of the three on a
     * cross-site link or form, so such a request may be another site's. Clients such as curl send none of them
     * either but are no browser: no other site can make them send a request with their cookies.
     */
    public static boolean isBrowserRequestOfUnknownOrigin(HttpServletRequest request) {
        return request.getHeader("Sec-Fetch-Site") == null && request.getHeader("Origin") == null
                && isBlank(request.getHeader("Referer")) && isBrowser(request.getHeader("User-Agent"));
    }

    /** Every browser's User-Agent starts with {@code Mozilla/}, or, for Opera before 2013, {@code Opera/}. */
    static boolean isBrowser(String userAgent) {
        return userAgent != null && (userAgent.startsWith("Mozilla/") || userAgent.startsWith("Opera/"));
    }

    /** {@code scheme://host[:port]} of an absolute URL, or null when {@code url} is none. */
    static String originOf(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getScheme() == null || uri.getRawAuthority() == null) {
                return null;
            }
            return uri.getScheme() + "://" + uri.getRawAuthority();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static boolean isBlank(String header) {
        return header == null || header.isBlank();
    }

    static String ownOrigin(HttpServletRequest request) {
        String host = request.getHeader("Host");
        if (host == null) {
            int port = request.getServerPort();
            boolean defaultPort = port == ("https".equals(request.getScheme()) ? 443 : 80);
            host = request.getServerName() + (defaultPort ? "" : ":" + port);
        }
        return request.getScheme() + "://" + host;
    }
}
