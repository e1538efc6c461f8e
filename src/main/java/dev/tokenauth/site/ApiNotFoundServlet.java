package dev.tokenauth.site;

import dev.tokenauth.web.JsonResponses;

import java.io.IOException;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Answers every {@code /api/...} path that no endpoint serves (the filter has already let the caller in). */
public class ApiNotFoundServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonResponses.failure(response, HttpServletResponse.SC_NOT_FOUND, "No such API endpoint.");
    }
}
