package com.cxreports;

import java.util.concurrent.CompletableFuture;

/**
 * The future of one library call. cancel() cancels the call in the library (cx_cancel):
 * its requests stop, a save removes its temporary file, a batch abandons its renders.
 */
final class CxFuture<T> extends CompletableFuture<T> {
    volatile long requestId;

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean canceled = super.cancel(mayInterruptIfRunning);
        if (canceled) { // a finished call is left alone: an opened stream is the caller's now
            cancelInLibrary();
        }
        return canceled;
    }

    /** Stops the call without completing the future: its done event then says "canceled". */
    void cancelInLibrary() {
        long id = requestId;
        if (id != 0) {
            NativeLib.cx().cx_cancel(id);
        }
    }
}
