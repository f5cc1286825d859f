package core

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
)

// The JSON hot paths of the client, measured without a network: they decide
// which JSON library core uses (see objscan.go and pyjson.go).

// responseObject is an answer the size of a typical list item, with a member
// the client does not know and an escaped name.
const responseObject = `{"id": 7, "status": "Completed", "isReady": true, "errorMessage": null,
 "expiryTime": "2030-01-01T00:00:00Z", "name": "Invoice \"2026\" ü.pdf", "contentSize": 183211,
 "contentType": "application/pdf", "custom": {"a": [1, 2.5, {"b": "]}"}], "t\u00e9": null}}`

// bigResponseObject is a report with a 64 KiB base64 preview image, as the
// reports list sends.
var bigResponseObject = `{"id": 160, "name": "Invoice", "reportTypeId": 3, "previewImage": "` +
	base64.StdEncoding.EncodeToString([]byte(strings.Repeat("\x89PNG\r\n\x1a\n", 6<<10))) + `", "isDefault": true}`

// renderData is report data as a render body carries it: nested objects,
// arrays, numbers as written, non-ASCII text.
func renderData(rows int) string {
	var b strings.Builder
	b.WriteString(`{"title": "Quarterly report – Zoë 😀", "rows": [`)
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"n": %d, "amount": %d.50, "ratio": 1.25e-3, "label": "row \"%d\" ünï", "ok": true, "none": null}`, i, i*37, i)
	}
	b.WriteString(`]}`)
	return b.String()
}

func BenchmarkObjectMembers(b *testing.B) {
	for _, in := range []struct{ name, text string }{
		{"small", responseObject}, {"preview64KiB", bigResponseObject},
	} {
		b.Run(in.name, func(b *testing.B) {
			raw := []byte(in.text)
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := objectMembers(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkObjectMembersTokenDecoder is the token decoder on the same valid
// answer: what scanObject saves.
func BenchmarkObjectMembersTokenDecoder(b *testing.B) {
	raw := []byte(responseObject)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := objectMembersSlow(raw); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkObjectMembersInvalid is the token decoder's path, taken only for a
// broken answer.
func BenchmarkObjectMembersInvalid(b *testing.B) {
	raw := []byte(responseObject[:len(responseObject)-1])
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := objectMembers(raw); err == nil {
			b.Fatal("no error")
		}
	}
}

func BenchmarkDecodeResponse(b *testing.B) {
	raw := []byte(responseObject)
	b.ReportAllocs()
	for b.Loop() {
		var st ExportStatus
		if err := json.Unmarshal(raw, &st); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncodeResponse writes a decoded answer back as the server sent it.
func BenchmarkEncodeResponse(b *testing.B) {
	var st ExportStatus
	if err := json.Unmarshal([]byte(responseObject), &st); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(st); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReencodePython(b *testing.B) {
	for _, rows := range []int{10, 2000} {
		raw := []byte(renderData(rows))
		b.Run(fmt.Sprint(len(raw)/1024, "KiB"), func(b *testing.B) {
			b.SetBytes(int64(len(raw)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := reencode(raw, pyStyle); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderBodyGoValues is a render body given as Go values: toRawJSON
// marshals it, then it is re-encoded in Python's style.
func BenchmarkRenderBodyGoValues(b *testing.B) {
	rows := make([]map[string]any, 50)
	for i := range rows {
		rows[i] = map[string]any{"n": i, "amount": float64(i) * 1.5, "label": "row <ünï>", "ok": true}
	}
	body := map[string]any{"params": map[string]any{"title": "Zoë"}, "data": map[string]any{"rows": rows}, "lang": "de"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := objectBody("body", body, [2]string{"format", "pdf"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQueryEncode(b *testing.B) {
	var q Query
	q.Set("params", json.RawMessage(renderData(3)))
	q.Set("tempDataId", 12)
	q.Set("timezone", "Europe/Berlin")
	q.Set("includeAttachments", true)
	q.Set("excludePages", []int{1, 3, 5})
	q.Set("format", "pdf")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := q.Encode(); err != nil {
			b.Fatal(err)
		}
	}
}
