package com.cxreports;

/** HTTP 404: no such report, export, job or workspace. */
public class NotFoundException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    NotFoundException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
