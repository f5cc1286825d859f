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
