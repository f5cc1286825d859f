package core

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A destination that cannot be written fails with io_error before any request:
// a render or an export costs the server, and its result would be thrown away.
func TestUnwritableDestinationSendsNothing(t *testing.T) {
	srv, c := newFake(t)
	ctx := ctxT(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, []byte("x"), 0o644))
	for _, target := range []string{
		filepath.Join(dir, "missing", "out.pdf"), // no such directory
		filepath.Join(file, "out.pdf"),           // a file where the directory should be
	} {
		errs := refusedBeforeSending(t, srv, CodeIO, map[string]func() error{
			"GetPDFToFile": func() error { _, err := c.GetPDFToFile(ctx, ID(160), Query{}, target); return err },
			"PostPDFToFile": func() error {
				_, err := c.PostPDFToFile(ctx, ID(160), nil, target)
				return err
			},
			"GetExportContentToFile": func() error {
				_, err := c.GetExportContentToFile(ctx, ID(1), target)
				return err
			},
			"ExportToFile": func() error {
				_, err := c.ExportToFile(ctx, ID(160), nil, target, WaitOptions{PollInterval: 1})
				return err
			},
		})
		for name, e := range errs {
			assert.Contains(t, e.Message, "Check that the directory exists and is writable", "%s into %s", name, target)
		}
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left behind")
}

// ExportToFile keeps the temporary file it made before the export for the
// download, and leaves nothing behind on failure.
func TestExportToFileUsesItsEarlyTemporaryFile(t *testing.T) {
	_, c := newFake(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "e.pdf")
	d, err := c.ExportToFile(ctxT(t), ID(160), nil, path, WaitOptions{PollInterval: 1})
	require.NoError(t, err)
	assert.Equal(t, path, d.Path)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "e.pdf", entries[0].Name())

	_, err = c.ExportToFile(ctxT(t), ID(999999), nil, filepath.Join(dir, "f.pdf"), WaitOptions{PollInterval: 1})
	requireCode(t, err, CodeNotFound)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "the failed export left its temporary file")
}
