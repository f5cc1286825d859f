package core

import (
	"context"
	"encoding/pem"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCABundle(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[]`)
	}))
	defer srv.Close()
	untrusting, _ := newTestClient(t, srv.URL)
	_, err := untrusting.GetWorkspaces(ctxT(t))
	e := requireCode(t, err, CodeConnection)
	assert.False(t, e.Retryable, "a certificate error is not retried")
	assert.Contains(t, e.Message, "CABundle")

	bundle := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	trusting, _ := newTestClient(t, srv.URL, func(cfg *Config) { cfg.CABundlePEM = bundle })
	_, err = trusting.GetWorkspaces(ctxT(t))
	require.NoError(t, err)
}

func TestConcurrentCallsShareThePool(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `[{"id": 1}]`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, _ := newTestClient(t, srv.URL)
	const workers, calls = 8, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range calls {
				_, err := c.GetWorkspaces(context.Background())
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	// A pool that reuses connections opens about one per concurrent caller. net/http
	// also dials a spare whenever a request finds no idle connection, and on a loaded
	// machine a caller can race ahead of its own freed connection more than once, so
	// the bound is generous: four per caller. Without reuse, the 200 calls would open
	// 200 connections.
	assert.LessOrEqual(t, int(conns.Load()), 4*workers, "%d calls opened %d connections", workers*calls, conns.Load())
}

func TestDispositionFilename(t *testing.T) {
	cases := map[string]string{
		``:                             "",
		`attachment; filename="a.pdf"`: "a.pdf",
		`attachment; filename="plain.pdf"; filename*=UTF-8''Rechnung%20M%C3%BCller.pdf`: "Rechnung Müller.pdf",
		`attachment; filename="../../etc/passwd"`:                                       "passwd",
		`attachment; filename="C:\\x\\y.pdf"`:                                           "y.pdf",
		`garbage;;`:                                                                     "",
	}
	for in, want := range cases {
		assert.Equal(t, want, dispositionFilename(in), in)
	}
}

func TestRefJSONAndString(t *testing.T) {
	var refs []Ref
	require.NoError(t, json.Unmarshal([]byte(`[160, "invoice", null, 0]`), &refs))
	assert.Equal(t, []Ref{ID(160), Code("invoice"), {}, ID(0)}, refs)
	assert.True(t, refs[3].IsSet())
	assert.False(t, refs[2].IsSet())
	assert.Equal(t, "0", refs[3].String())
	b, err := json.Marshal(refs)
	require.NoError(t, err)
	assert.Equal(t, `[160,"invoice",null,0]`, string(b))
	assert.Error(t, json.Unmarshal([]byte(`1.5`), &refs[0]))
}

func TestBodyEncodingMatchesPythonRequests(t *testing.T) {
	// python3: json.dumps({"data": {"name": "Zoë 😀", "n": 1.5, "l": [True, None]}, "format": "pdf"}); numbers stay as the caller wrote them
	b, err := objectBody("body", json.RawMessage(`{"data": {"name": "Zoë 😀", "n": 1.5, "l": [true, null]}}`), [2]string{"format", "pdf"})
	require.NoError(t, err)
	assert.Equal(t, `{"data": {"name": "Zo\u00eb \ud83d\ude00", "n": 1.5, "l": [true, null]}, "format": "pdf"}`, string(b))
	b, err = objectBody("body", struct {
		Params map[string]int `json:"params"`
	}{map[string]int{"b": 2, "a": 1}}, [2]string{"format", "pdf"})
	require.NoError(t, err)
	assert.Equal(t, `{"params": {"a": 1, "b": 2}, "format": "pdf"}`, string(b))
}
