package core

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// onceKey marks a request context whose request must not be re-sent once it may have
// reached the server: a POST starts a job run, delivers it, starts an export,
// stores data or renders, and a second send could act twice.
type onceKey struct{}

// idempotent reports whether a request may be sent again after it may have reached
// the server. Of the API's methods only GET is; every POST is sent again only when
// nothing reached the server (a failed dial).
func idempotent(method string) bool { return method == http.MethodGet || method == http.MethodHead }

// attemptsKey holds a *int counting the attempts made for one call.
type attemptsKey struct{}

// retryableStatus reports whether a status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry is the go-retryablehttp CheckRetry policy.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, context.Cause(ctx)
	}
	once := ctx.Value(onceKey{}) != nil
	if err != nil {
		if once {
			// Only a failed dial is certain not to have reached the server.
			return isDialError(err), nil
		}
		return retryableTransportError(err), nil
	}
	if once {
		return false, nil // the server answered: it may have acted on the request
	}
	return retryableStatus(resp.StatusCode), nil
}

func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// retryableTransportError rejects errors that another attempt cannot fix.
func retryableTransportError(err error) bool {
	var (
		unknownCA *x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		certErr   x509.CertificateInvalidError
		verifyErr *tls.CertificateVerificationError
		redirect  *redirectError
	)
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &certErr),
		errors.As(err, &verifyErr), errors.As(err, &redirect):
		return false
	case strings.Contains(err.Error(), "unsupported protocol scheme"):
		return false
	}
	return true
}

// backoff is the go-retryablehttp Backoff: the server's Retry-After when given
// (capped by maxRetryAfter), else exponential backoff with full jitter.
func backoff(maxRetryAfter time.Duration) func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	return func(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
		if resp != nil {
			if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
				return min(d, maxRetryAfter)
			}
		}
		ceil := hi
		if attempt < 30 {
			if c := lo << attempt; c > 0 && c < hi {
				ceil = c
			}
		}
		return time.Duration(rand.Int64N(int64(ceil) + 1))
	}
}

// parseRetryAfter reads a Retry-After header in either form: delay-seconds or an
// HTTP-date. A date in the past means "now".
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		if n < 0 {
			return 0, false
		}
		if n > int64(24*time.Hour/time.Second) {
			n = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(n) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}
