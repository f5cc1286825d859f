package com.cxreports;

/** The call was canceled: Future.cancel, Thread.interrupt of the waiting thread, or close() of the client. */
public class CanceledException extends CxReportsException {
    private static final long serialVersionUID = 1L;

    CanceledException(String message, String code, int status, String serverMessage, String requestId, boolean retryable,
            String httpMethod, String url) {
        super(message, code, status, serverMessage, requestId, retryable, httpMethod, url, null);
    }
}
