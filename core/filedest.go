package core

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cxclient/cxreports/core/internal/partfile"
)

// fileDest is a download into a file: each attempt writes a fresh temporary file
// beside the target, and only a complete download is renamed over it, so the
// target is never seen half written and a failed call leaves nothing behind.
type fileDest struct {
	c      *Client
	bc     binaryCall
	target string
	tmp    *os.File
	fresh  bool // tmp was made by prepare and has not been handed out yet
}

// prepare creates the first attempt's temporary file now, before any request: a
// destination that cannot be written (a missing directory, no permission) must
// fail the call before the server renders or exports anything.
func (f *fileDest) prepare() error {
	if _, err := f.writer(); err != nil {
		return err
	}
	f.fresh = true
	return nil
}

func (f *fileDest) ioError(what string, err error) error {
	return f.c.finish(&Error{Code: CodeIO, Method: f.bc.method, URL: f.bc.url, Err: err,
		Message: fmt.Sprintf("I/O error: %s: %s. Check that the directory exists and is writable.", f.c.scrub(what), f.c.scrub(err.Error()))})
}

func (f *fileDest) writer() (io.Writer, error) {
	if f.fresh {
		f.fresh = false
		return f.tmp, nil
	}
	dir, base := filepath.Split(f.target)
	if dir == "" {
		dir = "."
	}
	tmp, err := partfile.Create(dir, base)
	if err != nil {
		return nil, f.ioError("cannot create a temporary file beside "+f.target, err)
	}
	f.tmp = tmp
	return tmp, nil
}

func (f *fileDest) restart() bool {
	f.discard()
	return true
}

// discard removes the temporary file of the current attempt.
func (f *fileDest) discard() {
	f.fresh = false
	if f.tmp != nil {
		f.tmp.Close()
		os.Remove(f.tmp.Name())
		f.tmp = nil
	}
}

// commit gives the complete temporary file the target's mode (0644 for a new
// file) and renames it over the target.
//
// It does not fsync, as curl -o and a requests loop do not: the rename alone
// means no reader ever sees a partial file, while flushing 200 MB to disk costs
// 0.3-0.6 s on our 2-core VM, as long as the download itself. A caller that must
// survive a power cut right after the call syncs the file itself.
func (f *fileDest) commit() error {
	tmp := f.tmp
	fail := func(what string, err error) error {
		f.discard()
		return f.ioError(what, err)
	}
	mode := os.FileMode(0o644)
	if fi, err := os.Stat(f.target); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail("cannot set the mode of "+tmp.Name(), err)
	}
	release := partfile.KeepLock(tmp) // from the close to the rename too: a cleaner must not take it between them
	defer release()
	if err := tmp.Close(); err != nil {
		return fail("cannot close "+tmp.Name(), err)
	}
	if err := replaceFile(tmp.Name(), f.target); err != nil {
		return fail("cannot move the download to "+f.target, err)
	}
	f.tmp = nil
	return nil
}
