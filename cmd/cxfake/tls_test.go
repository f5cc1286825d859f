package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With -tls the line carries the CA that verifies the server, -ca-file holds the
// same PEM by the time the line is read, and the shaping flags are accepted.
func TestCommandTLS(t *testing.T) {
	caPath := filepath.Join(t.TempDir(), "ca.pem")
	b, _ := startCommand(t, "-tls", "-ca-file", caPath, "-latency", "20ms", "-bandwidth", "1gbit")
	assert.Regexp(t, `^https://127\.0\.0\.1:\d+$`, b.URL)
	// The whole PEM came within the one line, its line breaks escaped.
	require.True(t, strings.HasPrefix(b.CA, "-----BEGIN CERTIFICATE-----\n"), "ca: %q", b.CA)
	require.True(t, strings.HasSuffix(b.CA, "-----END CERTIFICATE-----\n"), "ca: %q", b.CA)
	file, err := os.ReadFile(caPath)
	require.NoError(t, err)
	assert.Equal(t, b.CA, string(file))

	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM([]byte(b.CA)))
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	start := time.Now()
	res, body := exchange(t, &http.Client{Transport: tr}, b, "GET", "/api/v1/ws/main/reports")
	assert.Equal(t, http.StatusOK, res.StatusCode, string(body))
	assert.Equal(t, 2, res.ProtoMajor, "HTTP/2")
	assert.GreaterOrEqual(t, time.Since(start), 4*20*time.Millisecond, "handshake and request round trips at -latency 20ms")

	// Without the CA the certificate does not verify.
	plain := &http.Transport{}
	defer plain.CloseIdleConnections()
	_, err = (&http.Client{Transport: plain}).Get(b.URL + "/_fake/stats")
	var unknown x509.UnknownAuthorityError
	assert.True(t, errors.As(err, &unknown), "want an unknown authority, got %v", err)

}
