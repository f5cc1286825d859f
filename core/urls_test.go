package core

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A query that would make a URL longer than MaxURLLength is refused before
// anything is sent (no render, no nonce), with a message naming the limit and the
// way out; one just under it is sent.
func TestLongQueryIsRefusedBeforeSending(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	big := Query{}
	big.Set("params", map[string]any{"title": strings.Repeat("x", MaxURLLength)})
	huge := Query{}
	huge.Set("lang", strings.Repeat("y", 20<<20)) // 20 MB: used to end in a dropped connection
	dir := t.TempDir()
	for _, q := range []Query{big, huge} {
		errs := refusedBeforeSending(t, srv, CodeInvalidInput, map[string]func() error{
			"GetPDF":       func() error { _, err := c.GetPDF(ctx, ID(160), q); return err },
			"GetPDFToFile": func() error { _, err := c.GetPDFToFile(ctx, ID(160), q, filepath.Join(dir, "a.pdf")); return err },
			"PDFURL":       func() error { _, err := c.PDFURL(ID(160), q); return err },
			"GetPreviewURL": func() error {
				_, err := c.GetPreviewURL(ctx, ID(160), q)
				return err
			},
			"GetPreviewURLWithData": func() error {
				_, err := c.GetPreviewURLWithData(ctx, ID(160), map[string]any{"a": 1}, q)
				return err
			},
		})
		for name, e := range errs {
			assert.Contains(t, e.Message, "65536 bytes", name)
			assert.Contains(t, e.Message, "nothing was sent", name)
			assert.Contains(t, e.Message, "PostPDF", name)
			assert.Contains(t, e.Message, "PushTemporaryData", name)
			assert.Less(t, len(e.Message), 2000, name)
		}
	}

	// Just under the limit is fine, and the fake takes it.
	srv.Reset()
	ok := Query{}
	ok.Set("lang", strings.Repeat("z", MaxURLLength-200))
	u, err := c.PDFURL(ID(160), ok)
	require.NoError(t, err)
	assert.LessOrEqual(t, len(u), MaxURLLength)
	_, err = c.GetPDF(ctx, ID(160), ok)
	require.NoError(t, err)
}

// Any other URL over the limit (an id of a megabyte) is refused before sending.
func TestLongURLIsRefusedBeforeSending(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) {})
	c, _ := newTestClient(t, rec.URL)
	_, err := c.GetReportPages(ctxT(t), Code(strings.Repeat("r", 1<<20)))
	e := requireCode(t, err, CodeInvalidInput)
	assert.Contains(t, e.Message, "over the limit of 65536 bytes")
	assert.Less(t, len(e.Message), 2000)
	assert.Equal(t, 0, rec.count())
}

// A server's 414 says what to do.
func TestURITooLongHint(t *testing.T) {
	rec := newRecorder(t, func(n int, w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusRequestURITooLong) })
	c, _ := newTestClient(t, rec.URL)
	_, err := c.GetPDF(ctxT(t), ID(160), Query{})
	e := requireCode(t, err, CodeHTTP)
	assert.Equal(t, 414, e.Status)
	assert.Contains(t, e.Message, "send large parameters in a POST body with PostPDF")
}
