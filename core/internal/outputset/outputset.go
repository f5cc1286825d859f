// Package outputset keeps a batch from writing one file twice: it remembers
// which item first claimed each output path, as a filesystem would resolve it.
package outputset

import (
	"crypto/sha256"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// A Set remembers which item first claimed each output file, so that two
// items of one batch never write the same file: the later one fails before
// anything is sent for it.
//
// It keeps 12 bytes of a SHA-256 of each cleaned, absolute path and the item's
// index (16 bytes a slot), not the path itself: a million items cost 20 to 40 MB
// however long their paths are, and among a million paths two share a key with
// odds of about 2^-57.
type Set struct {
	first map[[12]byte]int32
	fold  int // 0: not probed yet; 1: the filesystem folds case; -1: it does not
}

// New makes an empty Set. A Set is for one goroutine.
func New() *Set { return &Set{first: make(map[[12]byte]int32)} }

// Claim records output for item index, or returns the index of the item that
// claimed the same file before.
func (s *Set) Claim(output string, index int) (prev int, dup bool) {
	p, err := filepath.Abs(output)
	if err != nil {
		p = filepath.Clean(output)
	}
	if s.fold == 0 {
		s.fold = -1
		if foldsCase(filepath.Dir(p)) {
			s.fold = 1
		}
	}
	if s.fold > 0 {
		p = strings.ToLower(p)
	}
	sum := sha256.Sum256([]byte(p))
	var key [12]byte
	copy(key[:], sum[:])
	if prev, ok := s.first[key]; ok {
		return int(prev), true
	}
	s.first[key] = int32(min(index, math.MaxInt32))
	return 0, false
}

// foldsCase tells whether names in dir are matched without regard to case
// (Windows and macOS by default; a case-folding directory on Linux). It asks the
// filesystem: a file made with a lower-case name, looked up by its upper-case
// name. dir is created first, as the batch would for its first output, so the
// probe touches nothing outside it. When it cannot probe, it answers what the
// platform usually does.
func foldsCase(dir string) bool {
	guess := runtime.GOOS == "windows" || runtime.GOOS == "darwin"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return guess
	}
	f, err := os.CreateTemp(dir, ".cxreports-case-*.probe")
	if err != nil {
		return guess
	}
	name := f.Name()
	f.Close()
	defer os.Remove(name)
	upper := filepath.Join(dir, strings.ToUpper(filepath.Base(name)))
	a, err1 := os.Stat(name)
	b, err2 := os.Stat(upper)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}
