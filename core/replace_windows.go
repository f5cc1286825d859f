package core

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// replaceFile renames the complete download over the target (MoveFileEx with
// MOVEFILE_REPLACE_EXISTING, through os.Rename). Windows refuses to replace a
// file another program holds open without FILE_SHARE_DELETE: a PDF viewer showing
// the last download, or, for a moment, a virus scanner or the search indexer
// reading the new file. The short holds pass, so the rename is tried again for
// up to replaceWait; a target still held then fails the call with a message
// that says so (the download is discarded and the old file stays as it was).
func replaceFile(tmp, target string) error {
	wait := 10 * time.Millisecond
	deadline := time.Now().Add(replaceWait)
	for {
		err := os.Rename(tmp, target)
		if err == nil || !heldOpen(err) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w (another program has %s open and does not let it be replaced: close it there and call again)", err, target)
		}
		time.Sleep(wait)
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// replaceWait bounds the retries of replaceFile: longer than a scanner's look at
// a new file, short enough that a file left open in a viewer fails promptly.
var replaceWait = 2 * time.Second

// heldOpen reports whether a rename failed because a file is open elsewhere.
func heldOpen(err error) bool {
	const errorSharingViolation, errorLockViolation syscall.Errno = 32, 33
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	return errno == syscall.ERROR_ACCESS_DENIED || errno == errorSharingViolation || errno == errorLockViolation
}
