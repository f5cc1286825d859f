package dispatch

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cxclient/cxreports/cxfake"
)

// envelope is the decoded form of what every call returns.
type envelope struct {
	OK    bool            `json:"ok"`
	Data  json.RawMessage `json:"data"`
	Error *errorBody      `json:"error"`
}

func decodeEnvelope(t testing.TB, b []byte) envelope {
	t.Helper()
	var e envelope
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("envelope is not valid JSON of the contract's shape: %v\n%s", err, b)
	}
	if e.OK == (e.Error != nil) {
		t.Fatalf("envelope must have exactly one of ok:true/data or error: %s", b)
	}
	return e
}

// fixture is a Library with one client on a fresh fake server.
type fixture struct {
	lib *Library
	srv *cxfake.Server
	h   uint64
}

func newFixture(t testing.TB, opts ...cxfake.Option) *fixture {
	t.Helper()
	opts = append([]cxfake.Option{cxfake.WithExportDelay(50 * time.Millisecond), cxfake.WithJobDelay(50 * time.Millisecond)}, opts...)
	srv := cxfake.NewServer(opts...)
	t.Cleanup(srv.Close)
	lib := &Library{}
	cfg := `{"base_url":"` + srv.URL + `","token":"` + srv.Token + `","default_workspace_id":1,"timeout":10,"max_retries":1,"retry_wait_min":0.01,"retry_wait_max":0.02}`
	h, errEnv := lib.NewClient([]byte(cfg))
	if h == 0 {
		t.Fatalf("NewClient: %s", errEnv)
	}
	t.Cleanup(func() {
		lib.FreeClient(h)
		if n := lib.Handles(); n != 0 {
			t.Errorf("%d handles left in the table", n)
		}
	})
	return &fixture{lib: lib, srv: srv, h: h}
}

// ok runs a JSON method and returns its data, failing on an error envelope.
func (f *fixture) ok(t testing.TB, method, args string) json.RawMessage {
	t.Helper()
	res := f.lib.Call(f.h, method, []byte(args), false)
	e := decodeEnvelope(t, res.Envelope)
	if !e.OK {
		t.Fatalf("%s %s: %s: %s", method, args, e.Error.Code, e.Error.Message)
	}
	if strings.Contains(string(res.Envelope), f.srv.Token) {
		t.Fatalf("%s: the envelope contains the token", method)
	}
	return e.Data
}

// fail runs a method (bytes allowed) and returns its error, failing on success or
// on a different code.
func (f *fixture) fail(t testing.TB, method, args, code string) *errorBody {
	t.Helper()
	return expectCode(t, f.lib.Call(f.h, method, []byte(args), true).Envelope, code, f.srv.Token)
}

func expectCode(t testing.TB, env []byte, code, token string) *errorBody {
	t.Helper()
	e := decodeEnvelope(t, env)
	if e.OK {
		t.Fatalf("want error %s, got success: %s", code, env)
	}
	if e.Error.Code != code {
		t.Fatalf("want code %s, got %s: %s", code, e.Error.Code, e.Error.Message)
	}
	if e.Error.Message == "" {
		t.Fatalf("error %s has no message", code)
	}
	if token != "" && strings.Contains(string(env), token) {
		t.Fatalf("error envelope contains the token: %s", env)
	}
	return e.Error
}

func field[T any](t testing.TB, data json.RawMessage, key string) T {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("data is not an object: %s", data)
	}
	var v T
	if err := json.Unmarshal(m[key], &v); err != nil {
		t.Fatalf("data.%s: %v in %s", key, err, data)
	}
	return v
}

func cxfakeFault503() cxfake.Fault { return cxfake.Fault{Status: 503, RetryAfter: "0"} }

func containsToken(s, token string) bool { return token != "" && strings.Contains(s, token) }

// bodyBytes is the downloaded file of a result made with the default (Go) sink.
func bodyBytes(r Result) []byte {
	if r.Body == nil {
		return nil
	}
	return r.Body.(*BufferSink).Bytes()
}

// methodArgs is one call of a table test.
type methodArgs struct{ method, args string }

// sizedDownload is what the download tests fetch: a finished export of a given
// size, and the render arguments that ask for a PDF of that size.
type sizedDownload struct {
	tempID      string // the export's temporaryFileId, as the JSON it came as
	query, body string // get_pdf's "params" member and post_pdf's "request_body" member
}

// newSizedDownload starts an export of size bytes and waits until it is done.
func newSizedDownload(t testing.TB, f *fixture, size int) sizedDownload {
	t.Helper()
	params := `{"params":{"fakeSizeBytes":` + strconv.Itoa(size) + `}}`
	start := f.ok(t, "start_report_export", `{"report_id":160,"request_body":`+params+`}`)
	d := sizedDownload{
		tempID: string(field[json.RawMessage](t, start, "temporaryFileId")),
		query:  `"params":` + params,
		body:   `"request_body":` + params,
	}
	f.ok(t, "wait_for_export", `{"temp_file_id":`+d.tempID+`,"poll_interval":0.01}`)
	return d
}

// calls are its downloads into memory: get_pdf, post_pdf and get_export_content.
func (d sizedDownload) calls() []methodArgs {
	return []methodArgs{
		{"get_pdf", `{"report_id":160,` + d.query + `}`},
		{"post_pdf", `{"report_id":160,` + d.body + `}`},
		{"get_export_content", `{"temp_file_id":` + d.tempID + `}`},
	}
}
