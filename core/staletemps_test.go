package core

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/cxclient/cxreports/core/internal/partfile"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// A batch removes the leftovers of its own naming scheme beside the outputs it
// writes, and nothing else: not a temporary a live writer holds, not another
// output's, not a look-alike, not a file outside its outputs' directories.
func TestRenderBatchRemovesStaleTemps(t *testing.T) {
	_, c := newFake(t)
	root := t.TempDir()
	out := filepath.Join(root, "out")
	stale := []string{filepath.Join(out, ".a.pdf.123456.part"), filepath.Join(out, ".a.pdf.9.part"),
		filepath.Join(out, "sub", ".b.pdf.42.part")}
	for _, p := range stale {
		writeFile(t, p, "half a pdf")
	}
	keep := []string{
		filepath.Join(out, ".c.pdf.77.part"),       // another output's, not in this batch
		filepath.Join(out, ".a.pdf.x1.part"),       // not digits: not ours
		filepath.Join(out, "a.pdf.123.part"),       // no dot in front: not ours
		filepath.Join(out, ".a.pdf.123.part.bak"),  // not ours
		filepath.Join(root, ".a.pdf.555.part"),     // outside the outputs' directories
		filepath.Join(out, "sub", ".a.pdf.8.part"), // beside sub/a.pdf, which the batch does not write
	}
	for _, p := range keep {
		writeFile(t, p, "not the batch's")
	}
	// A live writer's temporary: created and locked as a download does.
	live, err := partfile.Create(out, "a.pdf")
	require.NoError(t, err)
	defer live.Close()

	items := []BatchItem{{Report: ID(160), Output: filepath.Join(out, "a.pdf")},
		{Report: ID(160), Output: filepath.Join(out, "sub", "b.pdf")}}
	var last BatchProgress
	results := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{Progress: func(p BatchProgress) { last = p }}))
	removed := 0
	for _, r := range results {
		require.Equal(t, BatchOK, r.Status, "%v", r.Err)
		removed += r.RemovedTemps
	}
	assert.Equal(t, 3, removed)
	assert.Equal(t, 3, last.RemovedTemps)
	for _, p := range stale {
		assert.False(t, exists(p), "%s is a leftover", p)
	}
	for _, p := range keep {
		assert.True(t, exists(p), "%s is not the batch's to remove", p)
	}
	assert.True(t, exists(live.Name()), "a temporary a live writer holds stays")
	live.Close()
	assert.Equal(t, 1, partfile.NewSweeper().Clean(filepath.Join(out, "a.pdf")), "once its writer is gone, it is stale")
}
