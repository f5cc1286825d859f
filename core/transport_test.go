package core

import (
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Over TLS, API calls use HTTP/2 when the server offers it and downloads use
// HTTP/1.1; TLS sessions are resumed on new connections.
func TestProtocols(t *testing.T) {
	var mu sync.Mutex
	protos := map[string]int{}
	resumed := 0
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		kind := "json"
		if strings.HasSuffix(r.URL.Path, "/pdf") {
			kind = "pdf"
		}
		protos[r.Method+" "+kind] = r.ProtoMajor // every kind of request on its own: one must not hide another
		if r.TLS != nil && r.TLS.DidResume {
			resumed++
		}
		mu.Unlock()
		if kind == "pdf" {
			w.Header().Set("Content-Type", "application/pdf")
			io.WriteString(w, "%PDF-1.7 body")
			return
		}
		io.WriteString(w, `[]`)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.CABundlePEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	})
	ctx := ctxT(t)
	_, err := c.GetWorkspaces(ctx)
	require.NoError(t, err)
	_, err = c.GetPDF(ctx, ID(160), Query{})
	require.NoError(t, err)
	_, err = c.PostPDF(ctx, ID(160), nil)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, map[string]int{"GET json": 2, "GET pdf": 1, "POST pdf": 1}, protos,
		"API calls on HTTP/2, both downloads (GET and POST) on HTTP/1.1")
	assert.Positive(t, resumed, "the download's connection resumed the API connection's TLS session")
}
