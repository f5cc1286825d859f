package core

import (
	"context"
	"net/http"
)

// callerThreadKey marks a request context whose HTTP exchange runs with blocking
// system calls on the calling OS thread (see OnCallerThread).
type callerThreadKey struct{}

// OnCallerThread marks ctx so that calls made with it do their HTTP exchange on the
// calling OS thread with blocking system calls, instead of through net/http's
// Transport.
//
// It is meant for callers that enter Go from a foreign OS thread, as the C ABI
// does: such a call runs on a goroutine locked to that thread, and net/http hands
// data between its reader and writer goroutines and the caller through channels.
// Every hand-off must then wake the locked thread through Go's scheduler, which
// costs more than the whole exchange on a small machine. With the mark, the request
// is written and the answer read by the calling thread itself, which blocks in the
// kernel; no helper goroutine runs unless the context is canceled.
//
// Everything else stays the same: retries, Config.Timeout (connect, wait for
// headers, silence while reading), cancellation through ctx, TLS verification with
// Config's CA bundle, keep-alive connections (a separate pool), streaming
// downloads. HTTP/1.1 is used. Requests that go through a proxy (from
// HTTPS_PROXY/HTTP_PROXY/NO_PROXY) use the standard transport. Ordinary goroutines
// gain nothing from the mark.
func OnCallerThread(ctx context.Context) context.Context {
	if ctx == nil {
		ctx = context.Background()
	}
	return context.WithValue(ctx, callerThreadKey{}, true)
}

func onCallerThread(ctx context.Context) bool { return ctx.Value(callerThreadKey{}) != nil }

// router is the client's RoundTripper: marked requests that need no proxy go to
// the blocking transport, all others to the standard one. It also hides the
// transport's CloseIdleConnections from go-retryablehttp, which calls it after
// every failed call and would otherwise drop the pooled connections that
// concurrent callers are using.
type router struct {
	std   *http.Transport
	block *blockingTransport
}

func (p router) RoundTrip(r *http.Request) (*http.Response, error) {
	if blockingSupported && onCallerThread(r.Context()) {
		if proxy, err := p.std.Proxy(r); err == nil && proxy == nil {
			return p.block.RoundTrip(r)
		}
	}
	return p.std.RoundTrip(r)
}
