// Package partfile holds the temporary files of file downloads: a download
// into NAME writes ".NAME.<digits>.part" beside it, locked for as long as it is
// written, and renames it over NAME when complete (the client's fileDest); a
// batch removes the ones a killed process left behind (Sweeper).
package partfile

import "os"

// Create makes ".BASE.<digits>.part" in dir and holds its lock (see
// stale.go). A batch cleaning up beside BASE may remove a new temporary
// between its creation and the lock; the file then no longer is at its name,
// and another one is made.
func Create(dir, base string) (*os.File, error) {
	for attempt := 0; ; attempt++ {
		tmp, err := os.CreateTemp(dir, "."+base+".*.part")
		if err != nil {
			return nil, err
		}
		held, supported := lock(tmp)
		if !supported {
			return tmp, nil // a filesystem without locks: no one can remove it as stale either
		}
		if held {
			a, err1 := tmp.Stat()
			b, err2 := os.Lstat(tmp.Name())
			if err1 == nil && err2 == nil && os.SameFile(a, b) || attempt == 10 {
				return tmp, nil
			}
		}
		tmp.Close() // a cleaner took it as stale before we held it: make another
	}
}
