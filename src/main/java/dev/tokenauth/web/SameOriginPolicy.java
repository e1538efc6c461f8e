package dev.tokenauth.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Tells a browser's cross-site request from a same-origin one, for requests that a login session
 * authenticates. Browsers send {@code Sec-Fetch-Site} (and {@code Origin} on unsafe methods); clients such as
 * curl send neither and hold no one else's session, so they pass.
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
        return origin != null && !origin.equalsIgnoreCase(ownOrigin(request));
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
