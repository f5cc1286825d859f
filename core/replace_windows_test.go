package core

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// openWithoutShareDelete opens path as a viewer does on Windows: reading, sharing
// read and write but not delete, so the file can be neither removed nor replaced.
func openWithoutShareDelete(t *testing.T, path string) syscall.Handle {
	t.Helper()
	p, err := syscall.UTF16PtrFromString(path)
	if err != nil {
		t.Fatal(err)
	}
	h, err := syscall.CreateFile(p, syscall.GENERIC_READ, syscall.FILE_SHARE_READ|syscall.FILE_SHARE_WRITE, nil,
		syscall.OPEN_EXISTING, syscall.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// replaceDir is a temporary directory for the two files of a test. Not
// t.TempDir: its cleanup's RemoveAll deletes with POSIX semantics
// (FileDispositionInformationEx), which Wine 8, where these tests run, lacks.
func replaceDir(t *testing.T) (dir, target, tmp string) {
	t.Helper()
	dir, err := os.MkdirTemp("", "cxreplace")
	if err != nil {
		t.Fatal(err)
	}
	target, tmp = filepath.Join(dir, "report.pdf"), filepath.Join(dir, "report.pdf.part")
	t.Cleanup(func() {
		os.Remove(tmp)
		os.Remove(target)
		os.Remove(dir)
	})
	return dir, target, tmp
}

// TestReplaceFileWaitsForAShortHold: a target held open for a moment (a scanner)
// is replaced once it is let go.
func TestReplaceFileWaitsForAShortHold(t *testing.T) {
	_, target, tmp := replaceDir(t)
	writeFile(t, target, "old")
	writeFile(t, tmp, "new")
	h := openWithoutShareDelete(t, target)
	if err := os.Rename(tmp, target); err == nil || !heldOpen(err) {
		t.Fatalf("a plain rename over the open target: %v, want a sharing error (the case replaceFile exists for)", err)
	}
	released := make(chan struct{})
	go func() {
		time.Sleep(100 * time.Millisecond)
		syscall.CloseHandle(h)
		close(released)
	}()
	if err := replaceFile(tmp, target); err != nil {
		t.Fatalf("replaceFile: %v", err)
	}
	<-released
	if b, _ := os.ReadFile(target); string(b) != "new" {
		t.Fatalf("target holds %q, want the new download", b)
	}
}

// TestReplaceFileNamesAProgramThatKeepsItOpen: a target that stays open fails
// with a message saying why; the old file is untouched.
func TestReplaceFileNamesAProgramThatKeepsItOpen(t *testing.T) {
	defer func(d time.Duration) { replaceWait = d }(replaceWait)
	replaceWait = 50 * time.Millisecond
	_, target, tmp := replaceDir(t)
	writeFile(t, target, "old")
	writeFile(t, tmp, "new")
	h := openWithoutShareDelete(t, target)
	defer syscall.CloseHandle(h)
	err := replaceFile(tmp, target)
	if err == nil || !strings.Contains(err.Error(), "another program has "+target+" open") {
		t.Fatalf("replaceFile over a held target: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "old" {
		t.Fatalf("target holds %q, want the old file", b)
	}
}
