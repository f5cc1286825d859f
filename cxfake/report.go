package cxfake

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
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

const (
	titleSize   = 22.0
	metaSize    = 10.0
	sectionSize = 13.0
	noteSize    = 8.5
	monoSize    = 8.0
	monoLead    = 10.0
	wrapWidth   = 100  // characters per line of the Request section (fits A4 and Letter)
	maxLines    = 4000 // Request lines; beyond this the text is cut with a note
	maxGridCols = 8    // an array of objects with more keys shows one record per row
	maxRows     = 1000 // rows a data table shows; the Request section has all
)

// paperFor picks Letter for a lang whose region uses it (en-US, fr-CA, es-MX),
// else A4.
func paperFor(lang string) pageSize {
	if i := strings.LastIndexAny(lang, "-_"); i >= 0 {
		switch strings.ToUpper(lang[i+1:]) {
		case "US", "CA", "MX":
			return pageLetter
		}
	}
	return pageA4
}

// renderPDF lays the request out as a report and writes the file.
func renderPDF(r *docRequest, minSize int64) *pdfDoc {
	size := paperFor(r.in.Lang)
	p := newPageWriter(size)
	heading := asciiSafe(r.heading)

	for _, l := range fontBold.wrap(heading, titleSize, p.width()) {
		p.text(fontBold, titleSize, p.left(), p.y-titleSize*0.8, colorAccent, l)
		p.y -= titleSize * 1.2
	}
	p.y -= 2
	p.paragraph(fontRegular, metaSize, metaSize*1.4, colorMuted, asciiSafe(r.subject))
	p.paragraph(fontRegular, metaSize, metaSize*1.4, colorMuted,
		asciiSafe(fmt.Sprintf("Workspace: %s (code %s, id %d)", r.ws.Name, r.ws.Code, r.ws.ID)))

	section(p, "Render options")
	(&table{rows: optionRows(r.in), keyCols: 1, fitLast: true}).draw(p)

	section(p, "Params")
	params := r.in.Params
	if len(params) == 0 {
		note(p, "No params were sent.")
	} else {
		showJSON(p, params, "param")
	}

	section(p, "Data")
	switch {
	case len(r.data) == 0 && r.in.HasTempData:
		note(p, "The temporary data "+asciiSafe(r.in.TempDataID)+" holds no content.")
	case len(r.data) == 0:
		note(p, "No data was sent.")
	default:
		if r.in.HasTempData && len(r.in.Data) == 0 {
			note(p, "From the temporary data "+asciiSafe(r.in.TempDataID)+".")
		}
		showJSON(p, r.data, "")
	}

	section(p, "Request")
	note(p, fmt.Sprintf("What the server received: JSON compact with the key order kept and non-ASCII characters as \\uXXXX; lines wrap at %d characters.", wrapWidth))
	p.gap(4)
	p.monoLines(monoSize, monoLead, requestLines(r.text()[1:]))

	pages := p.finish("CxReports fake render", heading+" - "+asciiSafe(r.ws.Name), asciiSafe(r.subject)+" - cxfake, not a real CxReports server")
	return newPDF(size, r.heading, pages, minSize)
}

func section(p *pageWriter, title string) {
	p.gap(14)
	p.ensure(sectionSize*1.5 + 50) // keep the heading with what follows
	p.text(fontBold, sectionSize, p.left(), p.y-sectionSize*0.8, colorAccent, title)
	p.y -= sectionSize * 1.5
}

func note(p *pageWriter, s string) {
	p.paragraph(fontRegular, noteSize, noteSize*1.35, colorMuted, s)
	p.gap(3)
}

// optionRows are the render options, every one named: those not sent say so.
func optionRows(in *renderInput) [][]string {
	orDefault := func(v string) string {
		if v == "" {
			return "(not set)"
		}
		return asciiSafe(v)
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
		rows = append(rows, []string{"Temp data id", asciiSafe(in.TempDataID)})
	}
	return rows
}

// showJSON lays a JSON value out: an array of objects as rows under the union of
// their keys, another array as numbered values, an object as key/value rows, a
// scalar as a line. Values below that level show as compact JSON.
func showJSON(p *pageWriter, raw json.RawMessage, what string) {
	root, err := parseJSONTree(raw, 2)
	if err != nil { // not expected: every input was validated
		p.paragraph(fontRegular, cellSize, cellLead, colorText, asciiSafe(string(raw)))
		return
	}
	t := &table{keyCols: 1, fitLast: true}
	switch {
	case root.kind == '{' && len(root.items) == 0:
		note(p, "An empty object.")
		return
	case root.kind == '[' && len(root.items) == 0:
		note(p, "An empty array.")
		return
	case root.kind == '{':
		t.header = []string{"Key", "Value"}
		if what == "" {
			note(p, fmt.Sprintf("An object with %s, as key/value rows.", count(len(root.items), "member")))
		}
		for i, v := range root.items[:min(len(root.items), maxRows)] {
			t.rows = append(t.rows, []string{root.keys[i], v.text()})
		}
	case root.kind == '[' && allObjects(root.items):
		cols, index := unionKeys(root.items)
		if len(cols) > maxGridCols {
			note(p, fmt.Sprintf("An array of %s with %d distinct keys, one key/value table per row.", count(len(root.items), "object"), len(cols)))
			showRecords(p, root.items)
			return
		}
		note(p, fmt.Sprintf("An array of %s, one row each; the columns are their keys in the order first seen.", count(len(root.items), "object")))
		t = &table{header: cols, numeric: make([]bool, len(cols))}
		for i := range t.numeric {
			t.numeric[i] = true
		}
		for _, item := range root.items[:min(len(root.items), maxRows)] {
			row := make([]string, len(cols))
			for k, v := range item.items {
				c := index[item.keys[k]]
				row[c] = v.text()
				t.numeric[c] = t.numeric[c] && v.kind == '0'
			}
			t.rows = append(t.rows, row)
		}
	case root.kind == '[':
		note(p, fmt.Sprintf("An array of %s.", count(len(root.items), "value")))
		t.header = []string{"#", "Value"}
		for i, v := range root.items[:min(len(root.items), maxRows)] {
			t.rows = append(t.rows, []string{strconv.Itoa(i), v.text()})
		}
	default:
		p.paragraph(fontRegular, 10, 13, colorText, root.text())
		return
	}
	moreRows(p, t.draw(p)+len(root.items)-len(t.rows))
}

// showRecords draws one key/value table per object (objects with too many keys
// for columns).
func showRecords(p *pageWriter, items []*jsonNode) {
	for i, item := range items {
		if i == maxRows || p.lineBudget <= 0 {
			moreRows(p, len(items)-i)
			return
		}
		p.gap(6)
		p.ensure(40)
		p.text(fontBold, cellSize, p.left(), p.y-cellSize, colorText, "Row "+strconv.Itoa(i))
		p.y -= cellLead + 2
		t := &table{keyCols: 1, fitLast: true}
		for k, v := range item.items {
			t.rows = append(t.rows, []string{item.keys[k], v.text()})
		}
		if len(t.rows) == 0 {
			note(p, "An empty object.")
			continue
		}
		moreRows(p, t.draw(p))
	}
}

func moreRows(p *pageWriter, n int) {
	if n > 0 {
		p.gap(3)
		note(p, fmt.Sprintf("[cxfake: %s not shown here; the Request section has the data as sent]", count(n, "more row")))
	}
}

func allObjects(items []*jsonNode) bool {
	for _, it := range items {
		if it.kind != '{' {
			return false
		}
	}
	return true
}

// unionKeys lists the keys of all objects in the order first seen.
func unionKeys(items []*jsonNode) ([]string, map[string]int) {
	var cols []string
	index := map[string]int{}
	for _, it := range items {
		for _, k := range it.keys {
			if _, ok := index[k]; !ok {
				index[k] = len(cols)
				cols = append(cols, k)
			}
		}
	}
	return cols, index
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// requestLines turns text into ASCII lines of at most wrapWidth characters, never
// breaking next to a space where it can help it (pdftotext drops spaces at the
// ends of lines, so a search across a removed line break still finds the value).
func requestLines(text []string) []string {
	var out []string
	for _, t := range text {
		t = asciiSafe(t)
		for len(t) > wrapWidth {
			cut := wrapWidth
			for cut > wrapWidth/2 && (t[cut-1] == ' ' || t[cut] == ' ') {
				cut--
			}
			if t[cut-1] == ' ' || t[cut] == ' ' {
				cut = wrapWidth
			}
			out = append(out, t[:cut])
			t = t[cut:]
		}
		out = append(out, t)
	}
	if len(out) > maxLines {
		cut := len(out) - maxLines + 1
		out = append(out[:maxLines-1], "[cxfake: "+strconv.Itoa(cut)+" more lines not shown]")
	}
	return out
}
