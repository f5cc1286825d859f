package com.cxreports;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failed call: the library's error envelope with its stable code, the HTTP status (0 when
 * the failure was not an HTTP answer), the server's own message and request id. Unchecked,
 * so that calls compose with lambdas, streams and CompletableFuture (see the README).
 * Subclasses name the kinds callers branch on; switch on {@link #getCode()} for the rest.
 * The message never contains the token.
 */
public class CxReportsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;
    private final String serverMessage;
    private final String requestId;
    private final boolean retryable;
    private final String httpMethod;
    private final String url;

    public CxReportsException(String message, String code, int status, String serverMessage, String requestId,
            boolean retryable) {
        this(message, code, status, serverMessage, requestId, retryable, "", "", null);
    }

    CxReportsException(String message, String code, int status, String serverMessage, String requestId,
            boolean retryable, String httpMethod, String url, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.status = status;
        this.serverMessage = serverMessage;
        this.requestId = requestId;
        this.retryable = retryable;
        this.httpMethod = httpMethod;
        this.url = url;
    }

    /** The library's error code: not_found, timeout, canceled, ... (include/cxreports.h). */
    public String getCode() {
        return code;
    }

    /** The HTTP status, 0 when the failure was not an HTTP answer. */
    public int getStatus() {
        return status;
    }

    /** What the server said, "" when it said nothing. */
    public String getServerMessage() {
        return serverMessage;
    }

    /** The server's request id, "" when it sent none. */
    public String getRequestId() {
        return requestId;
    }

    /** Whether the same call may succeed when made again later. */
    public boolean isRetryable() {
        return retryable;
    }

    /** The HTTP method of the failed request, "" when none was sent. */
    public String getHttpMethod() {
        return httpMethod;
    }

    /** The URL of the failed request (never with the token), "" when none was sent. */
    public String getUrl() {
        return url;
    }

    /** The exception for an envelope's "error" member, of the subclass its code names. */
    static CxReportsException fromError(JsonNode e, String message) {
        String code = e.path("code").asText("internal");
        int status = e.path("status").asInt(0);
        String server = e.path("server_message").asText("");
        String req = e.path("request_id").asText("");
        boolean retry = e.path("retryable").asBoolean(false);
        String method = e.path("method").asText("");
        String url = e.path("url").asText("");
        switch (code) {
            case "unauthenticated":
                return new UnauthenticatedException(message, code, status, server, req, retry, method, url);
            case "not_found":
                return new NotFoundException(message, code, status, server, req, retry, method, url);
            case "timeout":
                return new TimeoutException(message, code, status, server, req, retry, method, url);
            case "canceled":
                return new CanceledException(message, code, status, server, req, retry, method, url);
            case "connection":
                return new ConnectionException(message, code, status, server, req, retry, method, url);
            case "invalid_input":
            case "invalid_argument":
            case "invalid_config":
                return new InvalidInputException(message, code, status, server, req, retry, method, url);
            case "invalid_response":
                return new InvalidResponseException(message, code, status, server, req, retry, method, url);
            default:
                if (status == 429) {
                    return new RateLimitedException(message, code, status, server, req, retry, method, url);
                }
                return new CxReportsException(message, code, status, server, req, retry, method, url, null);
        }
    }
}
