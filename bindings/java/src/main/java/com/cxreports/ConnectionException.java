package com.cxreports;

/** The connection could not be made, was reset, or the body was cut short. */
public class ConnectionException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    ConnectionException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
