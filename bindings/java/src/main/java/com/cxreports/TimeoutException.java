package com.cxreports;

/** A per-attempt timeout, a wait's deadline or the call's timeout passed. */
public class TimeoutException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
