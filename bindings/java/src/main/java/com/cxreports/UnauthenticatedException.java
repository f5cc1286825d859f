package com.cxreports;

/** HTTP 401 or 403, or a login page where JSON or a file was expected: the token is wrong or expired. */
public class UnauthenticatedException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    UnauthenticatedException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
