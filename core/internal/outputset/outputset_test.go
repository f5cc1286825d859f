package outputset

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The set compares cleaned absolute paths, and folds case where the filesystem does.
func TestOutputSetKeys(t *testing.T) {
	dir := t.TempDir()
	s := New()
	_, dup := s.Claim(filepath.Join(dir, "a", "x.pdf"), 0)
	require.False(t, dup)
	prev, dup := s.Claim(filepath.Join(dir, "a", ".", "b", "..", "x.pdf"), 5)
	assert.True(t, dup)
	assert.Equal(t, 0, prev)
	_, dup = s.Claim(filepath.Join(dir, "a", "X.pdf"), 6)
	assert.Equal(t, s.fold > 0, dup, "case matters exactly when the filesystem folds it")

	folding := &Set{first: map[[12]byte]int32{}, fold: 1}
	_, dup = folding.Claim(filepath.Join(dir, "Invoice.PDF"), 0)
	require.False(t, dup)
	prev, dup = folding.Claim(filepath.Join(dir, "invoice.pdf"), 3)
	assert.True(t, dup)
	assert.Equal(t, 0, prev)

	cwd, err := os.Getwd()
	require.NoError(t, err)
	rel := New()
	rel.fold = -1
	_, dup = rel.Claim("out.pdf", 0)
	require.False(t, dup)
	_, dup = rel.Claim(filepath.Join(cwd, "out.pdf"), 1)
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
