package partfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A temporary removed as stale between its creation and its lock is replaced:
// the writer never writes into a file that is no longer at its name.
func TestCreateTempSurvivesACleaner(t *testing.T) {
	dir := t.TempDir()
	for range 50 {
		f, err := Create(dir, "x.pdf")
		require.NoError(t, err)
		assert.False(t, removeIfStale(f.Name()), "the writer holds it")
		fi, err := os.Stat(f.Name())
		require.NoError(t, err)
		mine, _ := f.Stat()
		assert.True(t, os.SameFile(fi, mine))
		f.Close()
		assert.True(t, removeIfStale(f.Name()))
	}
}

// A Sweeper removes the leftovers of one output only, those of the naming
// scheme that no writer holds, and reads each directory once: a leftover that
// appears after the first look is not seen.
func TestSweeperCleansOneOutput(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o644))
		return p
	}
	stale := []string{write(".a.pdf.1.part"), write(".a.pdf.22.part")}
	other := write(".b.pdf.3.part")
	lookAlike := write(".a.pdf.x.part")
	live, err := Create(dir, "a.pdf")
	require.NoError(t, err)
	defer live.Close()

	s := NewSweeper()
	assert.Equal(t, 2, s.Clean(filepath.Join(dir, "a.pdf")))
	for _, p := range stale {
		assert.NoFileExists(t, p)
	}
	for _, p := range []string{other, lookAlike, live.Name()} {
		assert.FileExists(t, p)
	}
	late := write(".b.pdf.4.part")
	assert.Equal(t, 1, s.Clean(filepath.Join(dir, "b.pdf")), "the directory was read before the late one came")
	assert.FileExists(t, late)
	assert.NoFileExists(t, other)
	assert.Zero(t, s.Clean(filepath.Join(dir, "missing", "c.pdf")), "no directory, nothing left behind")
}
