package cxfake

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trusting builds a client from CAPEM alone, as another program would.
func trusting(t *testing.T, caPEM []byte, http2 bool) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(caPEM), "CAPEM: %s", caPEM)
	tr := newTransport(t)
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.ForceAttemptHTTP2 = http2
	return &http.Client{Transport: tr}
}

func TestTLSWithTrustedCA(t *testing.T) {
	srv := newTestServer(t, WithTLS())
	assert.Regexp(t, `^https://127\.0\.0\.1:\d+$`, srv.URL)

	block, rest := pem.Decode(srv.CAPEM)
	require.NotNil(t, block)
	assert.Equal(t, "CERTIFICATE", block.Type)
	assert.Empty(t, strings.TrimSpace(string(rest)), "CAPEM holds one certificate")
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)

	// HTTP/2 where the client offers it, HTTP/1.1 where it does not.
	for _, h2 := range []bool{true, false} {
		res, body := get(t, trusting(t, srv.CAPEM, h2), srv, "/api/v1/workspaces")
		require.Equal(t, http.StatusOK, res.StatusCode, string(body))
		require.NotNil(t, res.TLS)
		if h2 {
			assert.Equal(t, 2, res.ProtoMajor, "HTTP/2 over TLS")
			assert.Equal(t, "h2", res.TLS.NegotiatedProtocol)
		} else {
			assert.Equal(t, 1, res.ProtoMajor)
		}
		chain := res.TLS.VerifiedChains[0]
		assert.True(t, chain[len(chain)-1].Equal(ca), "the chain ends at CAPEM")
	}

	// Server.Client trusts the CA, and the control API answers over TLS.
	res, body := get(t, srv.Client(), srv, "/_fake/stats")
	assert.Equal(t, http.StatusOK, res.StatusCode, string(body))
	assert.Equal(t, 2, res.ProtoMajor)
	assert.Contains(t, string(body), `"connections":`)
}

// The certificate names 127.0.0.1, ::1 and localhost; the server listens on
// 127.0.0.1, so the other names are checked against the leaf it presents.
func TestTLSCertificateNames(t *testing.T) {
	srv := newTestServer(t, WithTLS())
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(srv.CAPEM))
	conn, err := tls.Dial("tcp", strings.TrimPrefix(srv.URL, "https://"), &tls.Config{RootCAs: pool, ServerName: "localhost"})
	require.NoError(t, err, "verified as localhost")
	defer conn.Close()
	leaf := conn.ConnectionState().PeerCertificates[0]
	for _, name := range []string{"127.0.0.1", "::1", "localhost"} {
		assert.NoError(t, leaf.VerifyHostname(name), name)
	}
	assert.Error(t, leaf.VerifyHostname("example.com"))
	assert.False(t, leaf.IsCA)
}

// A client that does not trust the CA is refused, as with a real site whose
// certificate it cannot verify.
func TestTLSUntrustedClientFails(t *testing.T) {
	srv := newTestServer(t, WithTLS())
	_, err := (&http.Client{Transport: newTransport(t)}).Get(srv.URL + "/api/v1/workspaces")
	require.Error(t, err)
	var unknown x509.UnknownAuthorityError
	assert.True(t, errors.As(err, &unknown), "want an unknown authority, got %v", err)
	assert.Empty(t, srv.Requests())

	// Plain HTTP on the HTTPS port gets no API answer either.
	res, err := http.Get(strings.Replace(srv.URL, "https://", "http://", 1) + "/api/v1/workspaces")
	if err == nil {
		res.Body.Close()
		assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	}
	assert.Empty(t, srv.Requests())
}

// Over HTTP/2 a hang-up resets the stream: the request is recorded, the client
// gets an error and no answer.
func TestHangupOverHTTP2(t *testing.T) {
	srv := newTestServer(t, WithTLS())
	srv.Inject("POST", "/api/v1/ws/1/temporary-data", Fault{Hangup: true})
	res, err := open(context.Background(), srv.Client(), srv, "POST", "/api/v1/ws/1/temporary-data", `{"content":1}`)
	if err == nil {
		res.Body.Close()
		t.Fatalf("got an answer (%s %s) instead of a reset stream", res.Proto, res.Status)
	}
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, `{"content":1}`, string(reqs[0].Body))
	assert.Equal(t, 0, reqs[0].Status)

	// The connection itself lives on for the next request.
	res, _ = get(t, srv.Client(), srv, "/api/v1/workspaces")
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, 2, res.ProtoMajor)
	assert.Equal(t, 1, srv.Connections())
}

// TLS runs over the delayed connection: the handshake costs a round trip before
// the request's own, so a first request takes at least four latencies and the
// next one on the same connection at least two.
func TestTLSHandshakePaysTheLatency(t *testing.T) {
	const lat = 40 * time.Millisecond
	srv := newTestServer(t, WithTLS(), WithLatency(lat))
	client := trusting(t, srv.CAPEM, true)
	start := time.Now()
	res, _ := get(t, client, srv, "/api/v1/workspaces")
	assert.GreaterOrEqual(t, time.Since(start), 4*lat, "new connection")
	assert.Equal(t, 2, res.ProtoMajor)
	start = time.Now()
	get(t, client, srv, "/api/v1/workspaces")
	assert.GreaterOrEqual(t, time.Since(start), 2*lat, "kept-alive connection")
	assert.Equal(t, 1, srv.Connections())
}
