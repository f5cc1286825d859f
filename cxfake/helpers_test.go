package cxfake

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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

// pdfText extracts the text of a PDF with poppler's pdftotext. Without pdftotext the
// test fails, on CI and on a developer's machine alike, rather than skip: `make test`
// means every test, and the README lists the tools with their apt-get line.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return string(poppler(t, pdf, "pdftotext", "PDF", "-"))
}

// pdfLayoutText is pdftotext -layout: the text as it sits on the page, so a table
// row reads as one line.
func pdfLayoutText(t *testing.T, pdf []byte) string {
	t.Helper()
	return string(poppler(t, pdf, "pdftotext", "-layout", "PDF", "-"))
}

// pdfPages is the page count pdfinfo reads from a PDF.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(poppler(t, pdf, "pdfinfo", "PDF"))
	require.NotNil(t, m, "pdfinfo printed no page count")
	n, err := strconv.Atoi(string(m[1]))
	require.NoError(t, err)
	return n
}

// poppler runs a poppler-utils tool with args, in which "PDF" stands for the
// file's path, and returns its output; any complaint about the file fails the test.
func poppler(t *testing.T, pdf []byte, tool string, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath(tool)
	if err != nil {
		t.Fatal(tool + " is not installed: apt-get install poppler-utils " +
			"(README.md, 'Two commands', lists what the tests need)")
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	require.NoError(t, os.WriteFile(path, pdf, 0o600))
	var stderr strings.Builder
	args = slices.Clone(args)
	if i := slices.Index(args, "PDF"); i >= 0 {
		args[i] = path
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s failed: %s", tool, stderr.String())
	require.Empty(t, stderr.String(), "%s complained about the file", tool)
	return out
}

// b64 encodes params as the Python client does: base64url with padding.
func b64(s string) string { return base64.URLEncoding.EncodeToString([]byte(s)) }

func readAll(res *http.Response) ([]byte, error) { return io.ReadAll(res.Body) }
