package core

import (
	"crypto/tls"
	"net"
	"net/http"
	"time"
)

// newTransport is the client's only HTTP machinery: net/http's Transport, with
// HTTP/2 over TLS when the server offers it (HTTP/1.1 otherwise), keep-alive,
// TLS session resumption and proxies from the environment. The project writes no
// protocol code of its own; net/http also refuses to resend on its own a request
// that is not idempotent once it may have reached the server.
func newTransport(tc *tls.Config, timeout time.Duration) *http.Transport {
	if tc.ClientSessionCache == nil {
		// Resumed sessions save a round trip on every new connection.
		tc.ClientSessionCache = tls.NewLRUClientSessionCache(64)
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   timeout,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: timeout,
		TLSClientConfig:       tc,
		// HTTP/1.1 reads and writes in 64 KiB pieces instead of 4 KiB: fewer system
		// calls for large downloads and request bodies.
		ReadBufferSize:  64 << 10,
		WriteBufferSize: 64 << 10,
	}
}

// keepIdle is the http.Client's RoundTripper. It hides the transport's
// CloseIdleConnections from go-retryablehttp, which calls it after every call
// that failed for good and would otherwise drop the pooled connections that
// concurrent callers are using. Client.Close still closes them.
type keepIdle struct{ t *http.Transport }

func (k keepIdle) RoundTrip(r *http.Request) (*http.Response, error) { return k.t.RoundTrip(r) }
