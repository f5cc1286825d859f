package cxfake

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// IDStyle is how the server writes the ids of the objects it creates at run time:
// exports and review documents (temporaryFileId and the export status's id), job
// runs (jobRunId) and temporary data (tempDataId). Catalogue ids (workspaces,
// reports, jobs, themes, templates) are integers in every style.
type IDStyle int

const (
	// IntIDs writes ids as JSON numbers counted up from 1001. The default.
	IntIDs IDStyle = iota
	// GUIDIDs writes ids as JSON strings holding a random lowercase GUID
	// (8-4-4-4-12 hex digits), as a CxReports server on .NET may send, so a client
	// test can prove it does not assume numbers.
	GUIDIDs
)

// String is the style's name, "int" or "guid", as the command's -ids flag and
// its JSON line spell it.
func (st IDStyle) String() string {
	switch st {
	case IntIDs:
		return "int"
	case GUIDIDs:
		return "guid"
	}
	return fmt.Sprintf("IDStyle(%d)", int(st))
}

// MarshalText writes the style's name, "int" or "guid".
func (st IDStyle) MarshalText() ([]byte, error) {
	if !st.valid() {
		return nil, fmt.Errorf("cxfake: unknown id style %d", int(st))
	}
	return []byte(st.String()), nil
}

// UnmarshalText reads "int" or "guid"; with MarshalText it lets a command take
// the style as a flag (flag.TextVar).
func (st *IDStyle) UnmarshalText(b []byte) error {
	switch string(b) {
	case "int":
		*st = IntIDs
	case "guid":
		*st = GUIDIDs
	default:
		return fmt.Errorf("unknown id style %q: use int or guid", b)
	}
	return nil
}

func (st IDStyle) valid() bool { return st == IntIDs || st == GUIDIDs }

// objectID is the id of an export, a job run or temporary data. text is the form
// a path carries and the key of the state maps; quoted says the JSON answers
// write it as a string (GUIDIDs) rather than as the number it spells (IntIDs),
// which keeps the int answers exactly what they always were.
type objectID struct {
	text   string
	quoted bool
}

func (id objectID) MarshalJSON() ([]byte, error) {
	if id.quoted {
		return json.Marshal(id.text)
	}
	return []byte(id.text), nil
}

// newID hands out ids for exports, temporary data and job runs from one space, so
// an id of one kind never names an object of another kind: one counter with
// IntIDs; with GUIDIDs a random GUID that no live object holds (a repeat is
// practically impossible, but the check makes uniqueness a fact a test can rely on).
func (s *Server) newID() objectID {
	s.stateMu.Lock()
	defer s.stateMu.Unlock()
	if s.cfg.ids == GUIDIDs {
		for {
			g := newGUID()
			_, isExport := s.exports[g]
			_, isRun := s.runs[g]
			_, isData := s.tempData[g]
			if !isExport && !isRun && !isData {
				return objectID{text: g, quoted: true}
			}
		}
	}
	s.nextID++
	return objectID{text: strconv.FormatInt(s.nextID, 10)}
}

// idKey turns an id as a client sent it (a path segment, a tempDataId) into the
// key of the state maps; false means it cannot name an object of this server's
// style, which the callers answer like any unknown id. An int server reads the
// number, so "01002" is 1002 as before; a guid server compares GUIDs without
// regard to case, as .NET parses them.
func (s *Server) idKey(ref string) (string, bool) {
	if s.cfg.ids == GUIDIDs {
		return strings.ToLower(ref), true
	}
	n, ok := parseID(ref)
	if !ok {
		return "", false
	}
	return strconv.FormatInt(n, 10), true
}

// tempDataRef reads a tempDataId given as text (in a query, or as a JSON string).
// An int server wants an integer, as it always did; a guid server takes any text,
// since an id it never handed out is simply unknown (404), not malformed.
func tempDataRef(v string, ids IDStyle) (string, error) {
	if ids == GUIDIDs {
		return v, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return "", badInput("tempDataId must be an integer, got %q", v)
	}
	return strconv.FormatInt(n, 10), nil
}

// newGUID makes a random (version 4, RFC 4122 variant) GUID in the lowercase
// 8-4-4-4-12 form .NET writes.
func newGUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
