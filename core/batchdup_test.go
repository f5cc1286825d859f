package core

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two items that write one file: the later fails before anything is sent for it,
// naming both items, and the earlier's file is its own render.
func TestRenderBatchDuplicateOutput(t *testing.T) {
	srv, c := newFake(t)
	dir := t.TempDir()
	items := []BatchItem{
		{Report: ID(160), Params: map[string]any{"invoice": "FIRST"}, Output: filepath.Join(dir, "same.pdf")},
		{Report: ID(160), Params: map[string]any{"invoice": "OTHER"}, Output: filepath.Join(dir, "other.pdf")},
		{Report: ID(160), Params: map[string]any{"invoice": "SECOND"}, Output: filepath.Join(dir, "sub", "..", "same.pdf")},
		{Report: ID(160), Params: map[string]any{"invoice": "THIRD"}, Output: dir + "/nowhere/../third.pdf"},
	}
	lines := []int{7, 8, 12, 13}
	results := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{
		ItemName: func(i int) string { return "line " + itoa(lines[i]) }}))
	require.Len(t, results, 4)
	byIndex := map[int]BatchResult{}
	for _, r := range results {
		byIndex[r.Index] = r
	}
	assert.Equal(t, BatchOK, byIndex[0].Status)
	assert.Equal(t, BatchOK, byIndex[1].Status)
	assert.Equal(t, BatchOK, byIndex[3].Status, "written to the cleaned path, through a folder that does not exist: %v", byIndex[3].Err)
	assert.Equal(t, filepath.Join(dir, "third.pdf"), byIndex[3].Item.Output)
	require.Equal(t, BatchFailed, byIndex[2].Status)
	e := requireCode(t, byIndex[2].Err, CodeInvalidInput)
	assert.Contains(t, e.Message, "line 12")
	assert.Contains(t, e.Message, "line 7")
	assert.Len(t, requestsTo(srv, "POST", batchPDF), 3, "nothing was sent for the duplicate")
	pdf, err := os.ReadFile(filepath.Join(dir, "same.pdf"))
	require.NoError(t, err)
	assert.Contains(t, string(pdf), "FIRST")
	assert.NotContains(t, string(pdf), "SECOND")

	// A skipped output is still claimed: a rerun fails the duplicate again.
	again := collect(c.RenderBatch(ctxT(t), slices.Values(items), BatchOptions{}))
	statuses := map[int]string{}
	for _, r := range again {
		statuses[r.Index] = r.Status
	}
	assert.Equal(t, map[int]string{0: BatchSkipped, 1: BatchSkipped, 2: BatchFailed, 3: BatchSkipped}, statuses)
}

// The set compares cleaned absolute paths, and folds case where the filesystem does.
func TestOutputSetKeys(t *testing.T) {
	dir := t.TempDir()
	s := newOutputSet()
	_, dup := s.claim(filepath.Join(dir, "a", "x.pdf"), 0)
	require.False(t, dup)
	prev, dup := s.claim(filepath.Join(dir, "a", ".", "b", "..", "x.pdf"), 5)
	assert.True(t, dup)
	assert.Equal(t, 0, prev)
	_, dup = s.claim(filepath.Join(dir, "a", "X.pdf"), 6)
	assert.Equal(t, s.fold > 0, dup, "case matters exactly when the filesystem folds it")

	folding := &outputSet{first: map[[12]byte]int32{}, fold: 1}
	_, dup = folding.claim(filepath.Join(dir, "Invoice.PDF"), 0)
	require.False(t, dup)
	prev, dup = folding.claim(filepath.Join(dir, "invoice.pdf"), 3)
	assert.True(t, dup)
	assert.Equal(t, 0, prev)

	cwd, err := os.Getwd()
	require.NoError(t, err)
	rel := newOutputSet()
	rel.fold = -1
	_, dup = rel.claim("out.pdf", 0)
	require.False(t, dup)
	_, dup = rel.claim(filepath.Join(cwd, "out.pdf"), 1)
	assert.True(t, dup, "a relative path and its absolute form are one file")
}

// The probe answers what the filesystem does and leaves nothing behind.
func TestFoldsCaseProbe(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	folds := foldsCase(dir)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err, "the probe creates the directory the batch would create")
	assert.Empty(t, entries)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "probe"), nil, 0o644))
	_, err = os.Stat(filepath.Join(dir, "PROBE"))
	assert.Equal(t, folds, err == nil)
}
