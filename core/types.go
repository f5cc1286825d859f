package core

// Response objects. Each has the documented fields plus Extra, which holds every other
// member the server sent; MarshalJSON writes back the JSON the server sent: the same
// members in the same order, null where the server sent null and the field is still
// zero, plus any change the caller made to the fields. Ids are Refs, which hold a
// number or a string, as the server sends them; a member of another type than
// documented never fails a call (see decodeWithExtra). Each type's two methods are
// one line: unmarshalWire and marshalWire, at the end of this file, do the work.

import (
	"reflect"
	"sync"

	json "github.com/goccy/go-json"
)

// Workspace is a CxReports workspace.
type Workspace struct {
	ID          Ref                        `json:"id"`
	Name        string                     `json:"name"`
	Description string                     `json:"description"`
	Code        string                     `json:"code"`
	Extra       map[string]json.RawMessage `json:"-"`
	wire        *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Workspace) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Workspace) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// ReportType is a report type; its code addresses its default report.
type ReportType struct {
	ID                Ref                        `json:"id"`
	Name              string                     `json:"name"`
	Description       string                     `json:"description"`
	Code              string                     `json:"code"`
	DefaultReportID   Ref                        `json:"defaultReportId"`
	DefaultReportName string                     `json:"defaultReportName"`
	Extra             map[string]json.RawMessage `json:"-"`
	wire              *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *ReportType) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v ReportType) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// Report is a report.
type Report struct {
	ID                 Ref                        `json:"id"`
	Name               string                     `json:"name"`
	ReportTypeID       Ref                        `json:"reportTypeId"`
	ReportTypeName     string                     `json:"reportTypeName"`
	ReportTemplateName string                     `json:"reportTemplateName"`
	PreviewImage       string                     `json:"previewImage"`
	ThemeName          string                     `json:"themeName"`
	IsDefault          bool                       `json:"isDefault"`
	Extra              map[string]json.RawMessage `json:"-"`
	wire               *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Report) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Report) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// ReportPage is a page of a report; Type is page, subreport or document-merge.
type ReportPage struct {
	ID    Ref                        `json:"id"`
	Name  string                     `json:"name"`
	Type  string                     `json:"type"`
	Extra map[string]json.RawMessage `json:"-"`
	wire  *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *ReportPage) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v ReportPage) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// Theme is a theme usable as the theme of a render.
type Theme struct {
	ID    Ref                        `json:"id"`
	Code  string                     `json:"code"`
	Name  string                     `json:"name"`
	Extra map[string]json.RawMessage `json:"-"`
	wire  *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Theme) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Theme) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// Template is a report template usable as the template of a render.
type Template struct {
	ID    Ref                        `json:"id"`
	Code  string                     `json:"code"`
	Name  string                     `json:"name"`
	Extra map[string]json.RawMessage `json:"-"`
	wire  *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Template) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Template) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// TemporaryData is the answer to PushTemporaryData: pass TempDataID as tempDataId.
type TemporaryData struct {
	TempDataID Ref                        `json:"tempDataId"`
	ExpiryDate string                     `json:"expiryDate"`
	Extra      map[string]json.RawMessage `json:"-"`
	wire       *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *TemporaryData) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v TemporaryData) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// Nonce is a single-use preview token from CreateAuthToken.
type Nonce struct {
	Nonce string                     `json:"nonce"`
	Extra map[string]json.RawMessage `json:"-"`
	wire  *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Nonce) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Nonce) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// ExportStart is the answer to StartReportExport and GetRunReviewDocument.
type ExportStart struct {
	TemporaryFileID Ref                        `json:"temporaryFileId"`
	Extra           map[string]json.RawMessage `json:"-"`
	wire            *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *ExportStart) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v ExportStart) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// ExportStatus is the state of an asynchronous export; Status is InProgress, Completed or Failed.
type ExportStatus struct {
	ID           Ref                        `json:"id"`
	Status       string                     `json:"status"`
	IsReady      bool                       `json:"isReady"`
	ErrorMessage string                     `json:"errorMessage"`
	ExpiryTime   string                     `json:"expiryTime"`
	Name         string                     `json:"name"`
	ContentSize  int64                      `json:"contentSize"`
	ContentType  string                     `json:"contentType"`
	Extra        map[string]json.RawMessage `json:"-"`
	wire         *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *ExportStatus) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v ExportStatus) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// Job is a pre-configured report-generation job.
type Job struct {
	ID             Ref                        `json:"id"`
	Name           string                     `json:"name"`
	Description    string                     `json:"description"`
	Code           string                     `json:"code"`
	ReviewRequired bool                       `json:"reviewRequired"`
	IsActive       bool                       `json:"isActive"`
	LastRunTime    string                     `json:"lastRunTime"`
	Extra          map[string]json.RawMessage `json:"-"`
	wire           *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *Job) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v Job) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// JobRunStart is the answer to StartJobRun.
type JobRunStart struct {
	JobRunID Ref                        `json:"jobRunId"`
	Extra    map[string]json.RawMessage `json:"-"`
	wire     *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *JobRunStart) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v JobRunStart) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// JobRunStatus is the state of a job run.
type JobRunStatus struct {
	Finished bool                       `json:"finished"`
	Entries  int64                      `json:"entries"`
	Status   JobRunCounts               `json:"status"`
	Extra    map[string]json.RawMessage `json:"-"`
	wire     *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *JobRunStatus) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v JobRunStatus) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// JobRunCounts is the entries of a job run by state.
type JobRunCounts struct {
	Queued    int64                      `json:"queued"`
	Review    int64                      `json:"review"`
	Completed int64                      `json:"completed"`
	Errors    int64                      `json:"errors"`
	Extra     map[string]json.RawMessage `json:"-"`
	wire      *wireInfo                  // how the server sent it, for MarshalJSON
}

func (v *JobRunCounts) UnmarshalJSON(b []byte) error { return unmarshalWire(b, v, &v.Extra, &v.wire) }
func (v JobRunCounts) MarshalJSON() ([]byte, error)  { return marshalWire(&v, v.Extra, v.wire) }

// A response type cannot be handed to the JSON library from its own methods: the
// library would call them again. wireTwin is the type the library sees instead, a
// struct of the same JSON fields (names, types, tags) without methods, built once
// per response type.
type wireTwin struct {
	typ   reflect.Type
	index []int // index[i] is the response type's field behind twin field i
}

var twins sync.Map // response reflect.Type -> *wireTwin

func twinOf(t reflect.Type) *wireTwin {
	if tw, ok := twins.Load(t); ok {
		return tw.(*wireTwin)
	}
	var fields []reflect.StructField
	var index []int
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("json") == "-" {
			continue // Extra and wire, which decodeWithExtra fills, not the library
		}
		fields = append(fields, reflect.StructField{Name: f.Name, Type: f.Type, Tag: f.Tag})
		index = append(index, i)
	}
	tw, _ := twins.LoadOrStore(t, &wireTwin{typ: reflect.StructOf(fields), index: index})
	return tw.(*wireTwin)
}

// copyFields copies the JSON fields of v into twin (toTwin) or back.
func (tw *wireTwin) copyFields(v, twin reflect.Value, toTwin bool) {
	for i, j := range tw.index {
		if toTwin {
			twin.Field(i).Set(v.Field(j))
		} else {
			v.Field(j).Set(twin.Field(i))
		}
	}
}

// unmarshalWire is the UnmarshalJSON of every response type. The twin starts as
// a copy of *v, so that a member the answer lacks leaves its field as it was, as
// the library does when it decodes into a struct.
func unmarshalWire[T any](b []byte, v *T, extra *map[string]json.RawMessage, wire **wireInfo) error {
	tw := twinOf(reflect.TypeFor[T]())
	dst := reflect.ValueOf(v).Elem()
	twin := reflect.New(tw.typ).Elem()
	tw.copyFields(dst, twin, true)
	err := decodeWithExtra(b, twin.Addr().Interface(), extra, wire)
	tw.copyFields(dst, twin, false)
	return err
}

// marshalWire is the MarshalJSON of every response type.
func marshalWire[T any](v *T, extra map[string]json.RawMessage, wire *wireInfo) ([]byte, error) {
	tw := twinOf(reflect.TypeFor[T]())
	twin := reflect.New(tw.typ).Elem()
	tw.copyFields(reflect.ValueOf(v).Elem(), twin, true)
	return encodeWithExtra(twin.Interface(), extra, wire)
}
