//go:build windows && wine

package core

import _ "unsafe" // for go:linkname

// Wine 8 has no FileDispositionInformationEx: NtSetInformationFile answers
// STATUS_NOT_IMPLEMENTED, which Go's os.RemoveAll (through
// internal/syscall/windows.Deleteat) takes for a hard error ("Invalid function")
// instead of falling back to FileDispositionInfo as it does for
// STATUS_INVALID_INFO_CLASS. Every t.TempDir cleanup would then fail. Windows 10 1607
// and later have the class, and our code never calls RemoveAll, so this is Wine's
// gap, not ours: the test binaries built for Wine (make test-go-windows: -tags wine
// -ldflags=-checklinkname=0) turn Go's own test switch for the fallback on.
//
//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

func init() { deleteatFallback = true }
