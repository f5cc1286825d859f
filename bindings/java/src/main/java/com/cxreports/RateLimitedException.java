package com.cxreports;

/** HTTP 429 after the retries: the server asks for fewer requests. */
public class RateLimitedException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    RateLimitedException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
