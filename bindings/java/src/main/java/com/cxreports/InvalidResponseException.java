package com.cxreports;

/** The server's answer could not be used: undecodable JSON, wrong content type, short body. */
public class InvalidResponseException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    InvalidResponseException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
