package dispatch

import (
	"sync/atomic"

	"github.com/cxclient/cxreports/core"
)

// LogFunc receives one log line; level is 0 debug, 1 info, 2 warn, 3 error.
type LogFunc func(level int, msg string)

type logSink struct {
	fn  LogFunc
	min int
}

// logSwitch is the process-wide log destination set by cx_set_log_callback. Every
// client logs through it, so changing the callback affects clients created before.
type logSwitch struct{ sink atomic.Pointer[logSink] }

func (s *logSwitch) set(fn LogFunc, min int) {
	if fn == nil {
		s.sink.Store(nil)
		return
	}
	s.sink.Store(&logSink{fn: fn, min: min})
}

// emit delivers one message if a callback is set and the level passes its minimum.
func (s *logSwitch) emit(level int, msg string) {
	k := s.sink.Load()
	if k == nil || level < k.min {
		return
	}
	k.fn(level, msg)
}

func levelNumber(l core.LogLevel) int {
	switch l {
	case core.LevelDebug:
		return 0
	case core.LevelInfo:
		return 1
	case core.LevelWarn:
		return 2
	default:
		return 3
	}
}

// loggerFor is the core.Logger of one client. Its lines go to the inbox that
// adopted the client (cx_inbox_adopt), if any, else to the process-wide callback.
// The core never puts the token in a message; the redaction here is a second
// line of defense, because a leaked token in a host application's log file
// cannot be taken back. It follows the core's rule (core.Redact: whole
// occurrences of a token long enough to be a secret), so a short token never cuts
// words out of a line.
func (s *logSwitch) loggerFor(token string, route *logRoute) core.Logger {
	return func(level core.LogLevel, msg string) {
		n := levelNumber(level)
		in := route.inbox.Load()
		if in != nil && !in.wantsLog(n) || in == nil && s.sink.Load() == nil {
			return
		}
		msg = core.Redact(msg, token)
		if in != nil {
			in.log(n, msg)
			return
		}
		s.emit(n, msg)
	}
}
