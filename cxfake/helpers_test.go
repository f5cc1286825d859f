package cxfake

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resp is a finished HTTP exchange with the body read.
type resp struct {
	*http.Response
	body []byte
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(r.body, v), "body: %s", r.body)
}

func (r resp) errorText(t *testing.T) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	r.json(t, &e)
	require.NotEmpty(t, e.Error, "error body: %s", r.body)
	return e.Error
}

// isError asserts that r answers status with a {"error"} text that contains
// want; msgAndArgs name the case, as in a table.
func (r resp) isError(t *testing.T, status int, want string, msgAndArgs ...any) {
	t.Helper()
	assert.Equal(t, status, r.StatusCode, msgAndArgs...)
	assert.Contains(t, r.errorText(t), want, msgAndArgs...)
}

// newTestServer starts a fake with opts for one test and closes it when the test
// ends, as httptest's servers are used with t.Cleanup.
func newTestServer(t testing.TB, opts ...Option) *Server {
	t.Helper()
	srv := NewServer(opts...)
	t.Cleanup(srv.Close)
	return srv
}

// do sends a request with the server's token and reads the body.
func do(t *testing.T, srv *Server, method, path, body string) resp {
	t.Helper()
	return exchange(t, http.DefaultClient, srv, method, path, body, srv.Token)
}

// doToken is do with another token (token "" = none).
func doToken(t *testing.T, srv *Server, method, path, body, token string) resp {
	t.Helper()
	return exchange(t, http.DefaultClient, srv, method, path, body, token)
}

// exchange sends a request through client with token (token "" = none) and
// reads the whole body.
func exchange(t *testing.T, client *http.Client, srv *Server, method, path, body, token string) resp {
	t.Helper()
	req, err := newRequest(context.Background(), srv, method, path, body, token)
	require.NoError(t, err)
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return resp{res, b}
}

// newRequest builds a request to srv carrying token (token "" = none); a body
// is sent as JSON.
func newRequest(ctx context.Context, srv *Server, method, path, body, token string) (*http.Request, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, srv.URL+path, rd)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// open sends a request with the server's token through client and returns the
// response with its body unread. It reports errors instead of failing, so
// goroutines can call it.
func open(ctx context.Context, client *http.Client, srv *Server, method, path, body string) (*http.Response, error) {
	req, err := newRequest(ctx, srv, method, path, body, srv.Token)
	if err != nil {
		return nil, err
	}
	return client.Do(req)
}

// send returns the response with the body unread, for faults that break the
// body and for renders held open; the body is closed when the test ends.
func send(t *testing.T, srv *Server, method, path, body string) *http.Response {
	t.Helper()
	res, err := open(context.Background(), http.DefaultClient, srv, method, path, body)
	require.NoError(t, err)
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// sendInBackground sends a request with the server's token from a goroutine,
// for one the server holds until the test cancels ctx. The channel gets the
// end of the exchange: nil once answered (the body is closed unread), else the
// error.
func sendInBackground(ctx context.Context, srv *Server, method, path, body string) <-chan error {
	done := make(chan error, 1)
	go func() {
		res, err := open(ctx, http.DefaultClient, srv, method, path, body)
		if err == nil {
			res.Body.Close()
		}
		done <- err
	}()
	return done
}

// b64 encodes params as the Python client does: base64url with padding.
func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func readAll(res *http.Response) ([]byte, error) { return io.ReadAll(res.Body) }
