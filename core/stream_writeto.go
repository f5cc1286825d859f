package core

import (
	"io"
	"time"
)

// WriteTo writes the rest of the file to w; io.Copy(w, s) uses it. It gathers up
// to copyBufSize bytes before each write, as the save does: over TLS a Read hands
// out one record, 16 KiB at most, and a write per Read cost a system call each
// (the stream copied to a file reached 0.83 of GetPDFToFile over TLS with 5 ms
// latency). It writes what it has as soon as a Read had to wait for the network,
// so a slow server's bytes reach w as they come instead of once 256 KiB are in.
// A failed write returns its error and leaves the stream open: Close it.
func (s *Stream) WriteTo(w io.Writer) (written int64, err error) {
	buf := make([]byte, copyBufSize)
	for {
		n := 0
		var rerr error
		for n < len(buf) && rerr == nil {
			start := time.Now()
			var m int
			m, rerr = s.Read(buf[n:])
			n += m
			if time.Since(start) >= readWaited {
				break
			}
		}
		if n > 0 {
			m, werr := w.Write(buf[:n])
			written += int64(m)
			switch {
			case werr != nil:
				return written, werr
			case m < n:
				return written, io.ErrShortWrite
			}
		}
		if rerr == io.EOF {
			return written, nil
		}
		if rerr != nil {
			return written, rerr
		}
	}
}

// readWaited is how long a Read takes when the network, not the copy, is the
// slower side: a Read of bytes already received takes microseconds.
const readWaited = time.Millisecond
