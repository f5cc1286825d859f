//go:build windows && wine

// Package winetest adapts Go's runtime to Wine for the test binaries that
// make test-go-windows builds and runs there (-tags wine -ldflags=-checklinkname=0);
// a test package takes it in by a blank import from a wine_windows_test.go. It is
// never part of a library or program we ship.
//
// Wine 8 has no FileDispositionInformationEx: NtSetInformationFile answers
// STATUS_NOT_IMPLEMENTED, which Go's os.RemoveAll (internal/syscall/windows.Deleteat)
// takes for a hard error ("Invalid function") instead of falling back to
// FileDispositionInfo, as it does for STATUS_INVALID_INFO_CLASS. Every t.TempDir
// cleanup would then fail. Windows 10 1607 and later have the class, and our code
// never calls RemoveAll, so the gap is Wine's: here Go's own test switch for the
// fallback is turned on, through go:linkname (hence -checklinkname=0).
package winetest

import _ "unsafe" // for go:linkname

//go:linkname deleteatFallback internal/syscall/windows.TestDeleteatFallback
var deleteatFallback bool

func init() { deleteatFallback = true }
