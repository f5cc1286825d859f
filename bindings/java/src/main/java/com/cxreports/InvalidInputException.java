package com.cxreports;

/** A value the library refuses before sending anything (invalid_argument, invalid_input, invalid_config). */
public class InvalidInputException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    InvalidInputException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
