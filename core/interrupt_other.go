//go:build !linux && !windows

package core

import "errors"

func checkInterruptFD(int) error {
	return errors.New("an interrupt fd is only supported on Linux")
}

// pollInterruptFD is never reached: checkInterruptFD refuses every fd.
func pollInterruptFD(int) bool { return false }
