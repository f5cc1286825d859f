package cxfake

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newNonce(t *testing.T, srv *Server) string {
	t.Helper()
	r := do(t, srv, "POST", "/api/v1/nonce-tokens", "")
	require.Equal(t, http.StatusOK, r.StatusCode)
	var n struct{ Nonce string }
	r.json(t, &n)
	require.NotEmpty(t, n.Nonce)
	return n.Nonce
}

// browserGet fetches a URL without the API token, as an iframe does.
func browserGet(t *testing.T, c *http.Client, u string) resp {
	t.Helper()
	res, err := c.Get(u)
	require.NoError(t, err)
	defer res.Body.Close()
	var b []byte
	b, err = readAll(res)
	require.NoError(t, err)
	return resp{res, b}
}

func TestNonceIsSingleUseAndSetsCookie(t *testing.T) {
	srv := newTestServer(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	n1, n2 := newNonce(t, srv), newNonce(t, srv)
	assert.NotEqual(t, n1, n2)

	q := url.Values{"params": {b64(`{"who": "<me>"}`)}, "nonce": {n1}, "data": {`{"d":1}`}}
	page := srv.URL + "/ws/main/reports/160/preview?" + q.Encode()
	r := browserGet(t, browser, page)
	require.Equal(t, http.StatusOK, r.StatusCode, string(r.body))
	assert.Equal(t, "text/html; charset=utf-8", r.Header.Get("Content-Type"))
	assert.Contains(t, string(r.body), "Report: Invoice (id 160)")
	assert.Contains(t, string(r.body), `Params: {"who":"&lt;me&gt;"}`)
	assert.Contains(t, string(r.body), `Data: {"d":1}`)
	var session *http.Cookie
	for _, c := range r.Cookies() {
		if c.Name == SessionCookie {
			session = c
		}
	}
	require.NotNil(t, session, "the preview must set the session cookie")
	assert.True(t, session.HttpOnly)

	// The same nonce again, without the cookie: 401.
	r = browserGet(t, http.DefaultClient, page)
	r.isError(t, http.StatusUnauthorized, "already used")
	// Even with the cookie, a reused nonce is refused.
	r = browserGet(t, browser, page)
	assert.Equal(t, http.StatusUnauthorized, r.StatusCode)

	// The session cookie alone admits the browser (a reload without the nonce).
	r = browserGet(t, browser, srv.URL+"/ws/1/reports/161/preview")
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, string(r.body), "Other report")

	// A fresh nonce works once, for a workspace code with a space.
	r = browserGet(t, http.DefaultClient, srv.URL+"/ws/sales%20team/reports/invoice/preview?nonce="+n2)
	assert.Equal(t, http.StatusOK, r.StatusCode)
	assert.Contains(t, string(r.body), "Workspace: sales team (id 26)")
}

func TestPreviewRejects(t *testing.T) {
	srv := newTestServer(t)
	for _, u := range []string{"/ws/1/reports/160/preview", "/ws/1/reports/160/preview?nonce=bogus"} {
		r := browserGet(t, http.DefaultClient, srv.URL+u)
		r.isError(t, http.StatusUnauthorized, "Unauthenticated", u)
	}
	r := browserGet(t, http.DefaultClient, srv.URL+"/ws/1/reports/999/preview?nonce="+newNonce(t, srv))
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
	r = browserGet(t, http.DefaultClient, srv.URL+"/ws/1/reports/160/preview?params=@@&nonce="+newNonce(t, srv))
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	r = browserGet(t, http.DefaultClient, srv.URL+"/ws/nope/reports/160/preview?nonce="+newNonce(t, srv))
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
}
