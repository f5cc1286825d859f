package partfile

import (
	"os"
	"path/filepath"
	"regexp"
	"sync"
)

// A file download goes to ".NAME.<digits>.part" beside NAME (Create) and is
// renamed over NAME when complete. A process killed mid-download (SIGKILL, the
// OOM killer, a reboot) leaves that temporary behind. A Sweeper finds such
// leftovers beside the outputs a batch is about to write and removes them.
//
// What is stale: a temporary of this naming scheme that no live process is
// writing. Every writer holds a lock on its temporary for as long as it writes
// (lock); the lock dies with the process, however it dies, so a temporary
// whose lock can be taken is a leftover. That holds across processes (two
// batches writing into one folder) and within one, and needs no lock file in
// the folder that a crash could itself leave behind.
var tempName = regexp.MustCompile(`^\.(.+)\.[0-9]+\.part$`)

// A Sweeper looks at each directory once, the first time the batch writes
// into it: a directory of a million outputs is read once, not once per output.
// It keeps only the leftovers it found, by the output they belong to.
type Sweeper struct {
	mu      sync.Mutex
	scanned map[string]map[string][]string // dir -> output name -> temporaries
}

// NewSweeper starts with no directory looked at; it is safe for concurrent use.
func NewSweeper() *Sweeper { return &Sweeper{scanned: map[string]map[string][]string{}} }

// Clean removes the stale temporaries of output and says how many it removed.
func (s *Sweeper) Clean(output string) int {
	dir, base := filepath.Split(output)
	if dir == "" {
		dir = "."
	}
	dir = filepath.Clean(dir)
	s.mu.Lock()
	found, ok := s.scanned[dir]
	if !ok {
		found = scanTemps(dir)
		s.scanned[dir] = found
	}
	names := found[base]
	delete(found, base)
	s.mu.Unlock()
	removed := 0
	for _, n := range names {
		if removeIfStale(filepath.Join(dir, n)) {
			removed++
		}
	}
	return removed
}

// scanTemps lists dir's temporaries by the output they belong to.
func scanTemps(dir string) map[string][]string {
	out := map[string][]string{}
	f, err := os.Open(dir)
	if err != nil {
		return out // no directory yet: nothing left behind
	}
	defer f.Close()
	for {
		names, err := f.Readdirnames(4096)
		for _, n := range names {
			if m := tempName.FindStringSubmatch(n); m != nil {
				out[m[1]] = append(out[m[1]], n)
			}
		}
		if err != nil {
			return out
		}
	}
}
