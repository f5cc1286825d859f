package dispatch

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzArgs throws arbitrary argument text at every method's decoder: whatever the
// input, the result is a well-formed envelope - never a panic - and a rejection is
// always invalid_argument. Only decoding runs (no network), so it is fast. The seed
// corpus runs in `make test`; `make fuzz` explores further.
func FuzzArgs(f *testing.F) {
	seeds := []string{
		``, `{}`, `{`, `}`, `[]`, `null`, `"x"`, `1`, `{} {}`, `{"report_id":160}`, `{"report_id":"160"}`,
		`{"report_id":1.5}`, `{"report_id":1e400}`, `{"report_id":-0}`, `{"report_id":""}`, `{"report_id":160,"params":{"a":[1,{"b":null}]}}`,
		`{"report_id":160,"params":{"x":1}`, `{"report_id":{"nested":1}}`, `{"temp_file_id":9,"timeout":1e308}`,
		`{"timeout":-0.0}`, `{"limit":2147483648}`, `{"offset":0,"limit":5,"type":"invoice"}`, `{"data":[1,2]}`,
		`{"path":"/tmp/x","report_id":1}`, `{"job_id":1,"run_id":"r","poll_interval":0.001,"max_interval":1}`,
		"{\"report_id\":\"\xff\"}", `{"\u0000":1}`, `{"report_id":160,"report_id":"x"}`, `{"theme":1,"template":"t","report_id":1}`,
	}
	for _, s := range seeds {
		for _, m := range []string{"get_pdf", "get_report_pages", "get_reports", "push_temporary_data", "wait_for_job_run"} {
			f.Add(m, s)
		}
	}
	f.Fuzz(func(t *testing.T, name, text string) {
		m, ok := methodTable[name]
		if !ok {
			m = methodOrder[len(name)%len(methodOrder)]
		}
		a, err := decodeArgs(m, []byte(text))
		if err != nil {
			env := encodeError(errorFor(err))
			e := decodeEnvelope(t, env)
			if e.Error.Code != CodeInvalidArgument || !strings.HasPrefix(e.Error.Message, m.Name+": ") {
				t.Fatalf("rejection %s", env)
			}
			if !utf8.Valid(env) {
				t.Fatalf("envelope is not UTF-8: %q", env)
			}
			return
		}
		for _, p := range m.Args {
			if p.Required && !requiredSet(a, p.Name) {
				t.Fatalf("%s accepted %q without %s", m.Name, text, p.Name)
			}
		}
	})
}

func requiredSet(a *callArgs, name string) bool {
	switch name {
	case "report_id":
		return a.ReportID.IsSet()
	case "temp_file_id":
		return a.TempFileID.IsSet()
	case "job_id":
		return a.JobID.IsSet()
	case "run_id":
		return a.RunID.IsSet()
	case "path":
		return a.Path != ""
	case "data":
		return a.Data != nil
	}
	return true
}
