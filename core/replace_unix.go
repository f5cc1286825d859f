//go:build !windows

package core

import "os"

// replaceFile renames the complete download over the target. On Unix a rename
// replaces the target even while other programs have it open: they keep reading
// the old file.
func replaceFile(tmp, target string) error { return os.Rename(tmp, target) }
