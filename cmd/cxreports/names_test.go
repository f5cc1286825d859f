package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The core's messages name this program's flags and variables, never the Go
// API's fields: a shell user can act on "--url / CXREPORTS_URL", not on
// Config.BaseURL.
func TestMessagesNameTheFlags(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithExportDelay(time.Hour))
	defer srv.Close()
	tlsSrv := cxfake.NewServer(cxfake.WithTLS())
	defer tlsSrv.Close()
	long := strings.Repeat("x", 70<<10) // past core.MaxURLLength
	for _, tc := range []struct {
		name  string
		args  []string
		names []string
	}{
		{"unreachable", []string{"--url", "http://127.0.0.1:1", "--token", srv.Token, "--workspace", "main", "workspaces"},
			[]string{"--url / CXREPORTS_URL"}},
		{"not a URL", []string{"--url", "ftp://host", "--token", srv.Token, "--workspace", "main", "workspaces"},
			[]string{"--url / CXREPORTS_URL"}},
		{"token refused", []string{"--url", srv.URL, "--token", "not-the-token-at-all", "--workspace", "main", "workspaces"},
			[]string{"--token / CXREPORTS_TOKEN"}},
		{"CA file without certificates", []string{"--url", tlsSrv.URL, "--token", srv.Token, "--workspace", "main", "--ca-bundle", "names_test.go", "workspaces"},
			[]string{"--ca-bundle"}},
		{"private CA", []string{"--url", tlsSrv.URL, "--token", tlsSrv.Token, "--workspace", "main", "workspaces"},
			[]string{"--ca-bundle", "CXREPORTS_CA_BUNDLE"}},
		{"wait deadline", []string{"--url", srv.URL, "--token", srv.Token, "--workspace", "main",
			"export", "160", "-o", t.TempDir() + "/r.pdf", "--format", "pdf", "--wait-timeout", "0.05"},
			[]string{"--wait-timeout"}},
		{"query too long", []string{"--url", srv.URL, "--token", srv.Token, "--workspace", "main",
			"preview-url", "160", "--param", "p=" + long},
			[]string{"cxreports pdf", "cxreports temp-data push"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(context.Background(), tc.args, strings.NewReader(""), &out, &errOut)
			msg := errOut.String()
			require.NotEqual(t, exitOK, code, "stdout: %.200s", out.String())
			for _, n := range tc.names {
				assert.Contains(t, msg, n)
			}
			for _, goName := range []string{"Config.", "InWorkspace", "WaitOptions", "PostPDF", "PushTemporaryData"} {
				assert.NotContains(t, msg, goName)
			}
		})
	}
}

// --ca-bundle (or CXREPORTS_CA_BUNDLE) makes a tenant behind a private CA reachable.
func TestCABundleFlag(t *testing.T) {
	srv := cxfake.NewServer(cxfake.WithTLS())
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, srv.CAPEM, 0o644))
	code, stdout, stderr := cli(t, srv, "", "--ca-bundle", ca, "workspaces")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"code":"main"`)

	t.Setenv("CXREPORTS_CA_BUNDLE", ca)
	var out, errOut bytes.Buffer
	code = run(context.Background(), []string{"--url", srv.URL, "--token", srv.Token, "--workspace", "main", "workspaces"},
		strings.NewReader(""), &out, &errOut)
	require.Equal(t, exitOK, code, errOut.String())
}
