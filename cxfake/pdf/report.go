package pdf

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// A Report is what a document shows, top to bottom: a title with a few lines
// under it, then sections. Render lays it out on pages with a running header and
// a footer that numbers the pages. Every text may hold any character: what is
// not printable ASCII shows as a \uXXXX escape (see ASCII).
type Report struct {
	Paper    Paper
	Title    string   // on the first page, and the file's /Title
	Meta     []string // muted lines under the title
	Sections []Section
	// The running header's left and right texts and the footer's left one;
	// the footer's right says "Page N of M".
	HeaderLeft, HeaderRight, Footer string
}

// A Section is a heading and what follows it, in this order: the notes, the
// rows, the JSON value, the monospace lines.
type Section struct {
	Title string
	Notes []string   // small muted paragraphs
	Rows  [][]string // a table of key/value rows, keys in bold
	// JSON is a value laid out as tables: an array of objects as rows under the
	// union of their keys (in the order first seen; with more than 8 keys, one
	// key/value table per object), another array as numbered values, an object
	// as key/value rows, a scalar as a line. Values below the top level show as
	// compact JSON. A note before the table says what shape the value has;
	// PlainObject leaves that note out for an object (for a value that is always
	// one, such as params).
	JSON        json.RawMessage
	PlainObject bool
	// Elsewhere ends the note that says a table left rows out (it shows at
	// most 1000), e.g. where the reader finds them.
	Elsewhere string
	// Mono lines are shown verbatim in Courier, wrapped at MonoWidth characters;
	// beyond 4000 lines a note says how many were left out.
	Mono []string
}

// MonoWidth is the number of characters per line of a Section's Mono lines;
// it fits A4 and Letter.
const MonoWidth = 100

const (
	titleSize   = 22.0
	metaSize    = 10.0
	sectionSize = 13.0
	noteSize    = 8.5
	monoSize    = 8.0
	monoLead    = 10.0
	maxLines    = 4000 // Mono lines; beyond this the text is cut with a note
	maxGridCols = 8    // an array of objects with more keys shows one record per row
	maxRows     = 1000 // rows a data table shows
)

// Render lays the report out and returns the file, padded with an unreferenced
// filler stream to at least minSize bytes (0 = no padding).
func Render(r *Report, minSize int64) *Doc {
	p := newPageWriter(r.Paper)
	title := ASCII(r.Title)
	for _, l := range fontBold.wrap(title, titleSize, p.width()) {
		p.text(fontBold, titleSize, p.left(), p.y-titleSize*0.8, colorAccent, l)
		p.y -= titleSize * 1.2
	}
	p.y -= 2
	for _, m := range r.Meta {
		p.paragraph(fontRegular, metaSize, metaSize*1.4, colorMuted, ASCII(m))
	}
	for k := range r.Sections {
		s := &r.Sections[k]
		section(p, ASCII(s.Title))
		for _, n := range s.Notes {
			note(p, ASCII(n))
		}
		if len(s.Rows) > 0 {
			rows := make([][]string, len(s.Rows))
			for n, cells := range s.Rows {
				rows[n] = make([]string, len(cells))
				for m, cell := range cells {
					rows[n][m] = ASCII(cell)
				}
			}
			(&table{rows: rows, keyCols: 1, fitLast: true}).draw(p)
		}
		if len(s.JSON) > 0 {
			showJSON(p, s.JSON, s.PlainObject, ASCII(s.Elsewhere))
		}
		if len(s.Mono) > 0 {
			p.gap(4)
			p.monoLines(monoSize, monoLead, wrapMono(s.Mono))
		}
	}
	pages := p.finish(ASCII(r.HeaderLeft), ASCII(r.HeaderRight), ASCII(r.Footer))
	return newDoc(r.Paper, r.Title, pages, minSize)
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

// showJSON lays a JSON value out: an array of objects as rows under the union of
// their keys, another array as numbered values, an object as key/value rows, a
// scalar as a line. Values below that level show as compact JSON.
func showJSON(p *pageWriter, raw json.RawMessage, plainObject bool, elsewhere string) {
	root, err := parseJSONTree(raw, 2)
	if err != nil { // not expected: every input was validated
		p.paragraph(fontRegular, cellSize, cellLead, colorText, ASCII(string(raw)))
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
		if !plainObject {
			note(p, fmt.Sprintf("An object with %s, as key/value rows.", count(len(root.items), "member")))
		}
		for i, v := range root.items[:min(len(root.items), maxRows)] {
			t.rows = append(t.rows, []string{root.keys[i], v.text()})
		}
	case root.kind == '[' && allObjects(root.items):
		cols, index := unionKeys(root.items)
		if len(cols) > maxGridCols {
			note(p, fmt.Sprintf("An array of %s with %d distinct keys, one key/value table per row.", count(len(root.items), "object"), len(cols)))
			showRecords(p, root.items, elsewhere)
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
	moreRows(p, t.draw(p)+len(root.items)-len(t.rows), elsewhere)
}

// showRecords draws one key/value table per object (objects with too many keys
// for columns).
func showRecords(p *pageWriter, items []*jsonNode, elsewhere string) {
	for i, item := range items {
		if i == maxRows || p.lineBudget <= 0 {
			moreRows(p, len(items)-i, elsewhere)
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
		moreRows(p, t.draw(p), elsewhere)
	}
}

// moreRows notes the n rows a table left out, if any.
func moreRows(p *pageWriter, n int, elsewhere string) {
	if n <= 0 {
		return
	}
	if elsewhere != "" {
		elsewhere = "; " + elsewhere
	}
	p.gap(3)
	note(p, fmt.Sprintf("[cxfake: %s not shown here%s]", count(n, "more row"), elsewhere))
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

// wrapMono turns text into ASCII lines of at most MonoWidth characters, never
// breaking next to a space where it can help it (pdftotext drops spaces at the
// ends of lines, so a search across a removed line break still finds the value).
func wrapMono(text []string) []string {
	var out []string
	for _, t := range text {
		t = ASCII(t)
		for len(t) > MonoWidth {
			cut := MonoWidth
			for cut > MonoWidth/2 && (t[cut-1] == ' ' || t[cut] == ' ') {
				cut--
			}
			if t[cut-1] == ' ' || t[cut] == ' ' {
				cut = MonoWidth
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
