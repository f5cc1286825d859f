package cxfake

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
)

// Client returns an HTTP client for this server: it trusts the server's CA
// when TLS is on (and attempts HTTP/2), uses no proxy, and its idle connections
// are closed by Close. Like httptest.Server.Client, it is the same client on
// every call.
func (s *Server) Client() *http.Client { return s.client }

func newClient(caPEM []byte) (*http.Client, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // the server is on 127.0.0.1; a proxy from the environment cannot reach it
	tr.ForceAttemptHTTP2 = true
	if caPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("cxfake: the generated CA certificate does not parse")
		}
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	return &http.Client{Transport: tr}, nil
}
