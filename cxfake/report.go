package cxfake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/cxclient/cxreports/cxfake/pdf"
)

// docRequest is what one render shows: the report (or review document) and the
// request that asked for it.
type docRequest struct {
	heading string // the title on the first page: the report's name
	subject string // what was rendered, e.g. "Report: Invoice (id 160)"
	ws      *workspace
	in      *renderInput
	data    json.RawMessage // the data given, else the temporary data's content
}

// text is the request as lines of text: what every format shows, and what the
// PDF's Request section repeats verbatim.
func (r *docRequest) text() []string { return documentText(r.subject, r.ws, r.in, r.data) }

// paperFor picks Letter for a lang whose region uses it (en-US, fr-CA, es-MX),
// else A4.
func paperFor(lang string) pdf.Paper {
	if i := strings.LastIndexAny(lang, "-_"); i >= 0 {
		switch strings.ToUpper(lang[i+1:]) {
		case "US", "CA", "MX":
			return pdf.Letter
		}
	}
	return pdf.A4
}

// renderPDF lays the request out as a report: the render options, the params,
// the data, and the request's text verbatim.
func renderPDF(r *docRequest, minSize int64) *pdf.Doc {
	rep := &pdf.Report{
		Paper: paperFor(r.in.Lang),
		Title: r.heading,
		Meta: []string{
			r.subject,
			fmt.Sprintf("Workspace: %s (code %s, id %d)", r.ws.Name, r.ws.Code, r.ws.ID),
		},
		HeaderLeft:  "CxReports fake render",
		HeaderRight: r.heading + " - " + r.ws.Name,
		Footer:      r.subject + " - cxfake, not a real CxReports server",
	}

	params := pdf.Section{Title: "Params", JSON: r.in.Params, PlainObject: true, Elsewhere: "the Request section has the params as sent"}
	if len(r.in.Params) == 0 {
		params.Notes = []string{"No params were sent."}
	}

	data := pdf.Section{Title: "Data", JSON: r.data, Elsewhere: "the Request section has the data as sent"}
	switch {
	case len(r.data) == 0 && r.in.HasTempData:
		data.Notes = []string{"The temporary data " + r.in.TempDataID + " holds no content."}
	case len(r.data) == 0:
		data.Notes = []string{"No data was sent."}
	case r.in.HasTempData && len(r.in.Data) == 0:
		data.Notes = []string{"From the temporary data " + r.in.TempDataID + "."}
	}

	rep.Sections = []pdf.Section{
		{Title: "Render options", Rows: optionRows(r.in)},
		params,
		data,
		{
			Title: "Request",
			Notes: []string{fmt.Sprintf("What the server received: JSON compact with the key order kept and non-ASCII characters as \\uXXXX; lines wrap at %d characters.", pdf.MonoWidth)},
			Mono:  r.text()[1:],
		},
	}
	return pdf.Render(rep, minSize)
}

// optionRows are the render options, every one named: those not sent say so.
func optionRows(in *renderInput) [][]string {
	orDefault := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return v
	}
	rows := [][]string{
		{"Format", in.Format},
		{"Theme", orDefault(in.Theme)},
		{"Template", orDefault(in.Template)},
		{"Timezone", orDefault(in.Timezone)},
		{"Lang", orDefault(in.Lang)},
	}
	if in.IncludeAttachments != nil {
		rows = append(rows, []string{"Include attachments", strconv.FormatBool(*in.IncludeAttachments)})
	}
	if len(in.ExcludePages) > 0 {
		b, _ := json.Marshal(in.ExcludePages)
		rows = append(rows, []string{"Exclude pages", string(b)})
	}
	if in.HasTempData {
		rows = append(rows, []string{"Temp data id", in.TempDataID})
	}
	return rows
}
