package core

import (
	"context"
	"errors"
	"time"
)

// go-retryablehttp retries what fails before the headers arrive; a body cut after
// them surfaces only while it is read. Such a GET starts over, at most
// RetryPolicy.MaxRetries times, when nothing was handed to the caller yet: JSON
// answers and in-memory downloads always, a file download into a fresh temporary
// file, a caller's writer only if it received nothing or is a Restarter.

// cutRetryable reports whether cl, whose answer failed with err after retried
// earlier re-sends, may start over.
func (c *Client) cutRetryable(cl call, err error, retried int) bool {
	var e *Error
	return idempotent(cl.method) && retried < c.policy.MaxRetries && errors.As(err, &e) && e.cut
}

// waitCut waits the retry policy's back-off before the retried-th re-send of cl.
// A cancellation meanwhile is reported by the send that follows.
func (c *Client) waitCut(ctx context.Context, cl call, retried int) {
	d := backoff(c.policy.MaxRetryAfter)(c.policy.MinBackoff, c.policy.MaxBackoff, retried, nil)
	c.logf(LevelInfo, "%s %s: the answer was cut; sending it again in %v (retry %d of %d)", cl.method, cl.url, d, retried+1, c.policy.MaxRetries)
	if ctx == nil {
		ctx = context.Background()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	case <-c.life.Done():
	}
}
