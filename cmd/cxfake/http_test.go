package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// exchange sends method path to the command's server through client with the
// announced token, as a binding would, and reads the whole body.
func exchange(t *testing.T, client *http.Client, b banner, method, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, b.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+b.Token)
	res, err := client.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, body
}

// fakeStats decodes the command's /_fake/stats, which needs no token, into st.
func fakeStats(t *testing.T, b banner, st any) {
	t.Helper()
	res, err := http.Get(b.URL + "/_fake/stats")
	require.NoError(t, err)
	defer res.Body.Close()
	require.Equal(t, http.StatusOK, res.StatusCode)
	require.NoError(t, json.NewDecoder(res.Body).Decode(st))
}
