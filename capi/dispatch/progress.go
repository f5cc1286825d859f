package dispatch

import (
	"github.com/cxclient/cxreports/core"
	json "github.com/goccy/go-json"
)

// progressEvent is the JSON of a cx_progress_fn event; elapsed is in seconds like
// every duration of the ABI.
type progressEvent struct {
	Stage      string  `json:"stage"`
	Status     string  `json:"status"`
	Polls      int     `json:"polls"`
	BytesDone  int64   `json:"bytes_done"`
	BytesTotal int64   `json:"bytes_total"`
	Elapsed    float64 `json:"elapsed"`
}

func encodeProgress(p core.Progress) []byte {
	b, err := json.Marshal(progressEvent{Stage: p.Stage, Status: p.Status, Polls: p.Polls,
		BytesDone: p.BytesDone, BytesTotal: p.BytesTotal, Elapsed: p.Elapsed.Seconds()})
	if err != nil {
		return []byte(`{"stage":"` + p.Stage + `"}`)
	}
	return b
}
