package cxfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

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

// do sends a request with the server's token (token "" = none) and reads the body.
func do(t *testing.T, srv *Server, method, path, body string) resp {
	t.Helper()
	return doToken(t, srv, method, path, body, srv.Token)
}

func doToken(t *testing.T, srv *Server, method, path, body, token string) resp {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return resp{res, b}
}

// b64 encodes params as the Python client does: base64url with padding.
func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func readAll(res *http.Response) ([]byte, error) { return io.ReadAll(res.Body) }
