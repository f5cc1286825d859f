package cxfake

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTransport gives a test its own connection pool, so connections left idle by
// other tests (http.DefaultClient) cannot be reused and spoil the counts.
func newTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// get sends an authorized GET through client and reads the whole body.
func get(t *testing.T, client *http.Client, srv *Server, path string) (*http.Response, []byte) {
	t.Helper()
	r := exchange(t, client, srv, "GET", path, "", srv.Token)
	return r.Response, r.body
}

// Requests on a kept-alive connection do not add to the count; every new
// connection does, the control API's included; Reset starts again from zero.
func TestConnectionsCounted(t *testing.T) {
	srv := newTestServer(t)
	assert.Equal(t, 0, srv.Connections())

	keep := &http.Client{Transport: newTransport(t)}
	for range 3 {
		res, _ := get(t, keep, srv, "/api/v1/workspaces")
		require.Equal(t, http.StatusOK, res.StatusCode)
	}
	assert.Equal(t, 1, srv.Connections(), "three requests on one kept-alive connection")

	noKeep := newTransport(t)
	noKeep.DisableKeepAlives = true
	for range 2 {
		get(t, &http.Client{Transport: noKeep}, srv, "/api/v1/workspaces")
	}
	assert.Equal(t, 3, srv.Connections(), "one connection per request without keep-alive")

	_, b := get(t, keep, srv, "/_fake/stats")
	var st statsJSON
	require.NoError(t, json.Unmarshal(b, &st))
	assert.Equal(t, 3, st.Connections, "the stats call reused the first connection")

	srv.Reset()
	assert.Equal(t, 0, srv.Connections())
	get(t, keep, srv, "/api/v1/workspaces")
	assert.Equal(t, 0, srv.Connections(), "a connection open before Reset is not counted again")
}
