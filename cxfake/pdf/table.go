package pdf

import (
	"math"
	"strconv"
)

// Ruled tables: a shaded header row (repeated on every page the table spans),
// zebra rows, cells that wrap within their column, and rows that split across pages
// only when they are taller than a page.

type table struct {
	header  []string   // column titles; nil means no header row
	rows    [][]string // printable ASCII cells; a short row leaves its last cells empty
	keyCols int        // leading columns that hold labels: drawn bold, kept narrow
	fitLast bool       // spare width goes to the last column instead of all of them
	numeric []bool     // columns of numbers, aligned right
}

const (
	cellSize       = 8.5
	cellLead       = 10.5
	cellPadX       = 4.0
	cellPadY       = 3.0
	minColWidth    = 36.0
	maxCellChars   = 4000 // a cell shows this much of its value, then a note
	maxHeaderLines = 3
	maxTableLines  = 8000 // table lines per document, about 110 pages
	maxMeasureRows = 1000 // column widths come from the first rows
)

// clipCell bounds what one cell shows.
func clipCell(s string) string {
	if len(s) <= maxCellChars {
		return s
	}
	return s[:maxCellChars] + " [cxfake: " + strconv.Itoa(len(s)-maxCellChars) + " more characters]"
}

// colWidths shares the body width among the columns: each wants its widest cell
// (unwrapped); when they all fit the spare width is shared out, else the narrow
// columns keep their width and the wide ones split the rest evenly.
func (t *table) colWidths(total float64, ncols int) []float64 {
	want := make([]float64, ncols)
	measure := func(i int, f *font, s string) {
		if want[i] < total {
			want[i] = max(want[i], f.width(s, cellSize)+2*cellPadX+1)
		}
	}
	for i, h := range t.header {
		measure(i, fontBold, h)
	}
	for r, row := range t.rows {
		if r == maxMeasureRows {
			break
		}
		for i, c := range row {
			measure(i, t.cellFont(i), clipCell(c))
		}
	}
	sum := 0.0
	for i := range want {
		want[i] = min(max(want[i], minColWidth), total)
		if i < t.keyCols {
			want[i] = min(want[i], 0.4*total)
		}
		sum += want[i]
	}
	w := make([]float64, ncols)
	if sum <= total {
		copy(w, want)
		if t.fitLast {
			w[ncols-1] += total - sum
		} else {
			for i := range w {
				w[i] += (total - sum) * want[i] / sum
			}
		}
		return w
	}
	fixed := make([]bool, ncols)
	left, open := total, ncols
	for {
		share := left / float64(open)
		changed := false
		for i := range w {
			if !fixed[i] && want[i] <= share {
				w[i], fixed[i], changed = want[i], true, true
				left -= want[i]
				open--
			}
		}
		if !changed || open == 0 {
			for i := range w {
				if !fixed[i] {
					w[i] = share
				}
			}
			return w
		}
	}
}

func (t *table) cellFont(col int) *font {
	if col < t.keyCols {
		return fontBold
	}
	return fontRegular
}

// tableRow is a row wrapped to its column widths.
type tableRow struct {
	cells [][]string
	lines int
}

func (t *table) wrapRow(cells []string, widths []float64, f func(int) *font, maxLines int) tableRow {
	r := tableRow{cells: make([][]string, len(widths))}
	for i := range widths {
		var s string
		if i < len(cells) {
			s = clipCell(cells[i])
		}
		r.cells[i] = f(i).wrap(s, cellSize, widths[i]-2*cellPadX)
		if len(r.cells[i]) > maxLines {
			r.cells[i] = append(r.cells[i][:maxLines-1:maxLines-1], "...")
		}
		r.lines = max(r.lines, len(r.cells[i]))
	}
	return r
}

func rowHeight(lines int) float64 { return float64(lines)*cellLead + 2*cellPadY }

// draw lays the table out at the cursor. It returns how many rows it left out
// because the document's line budget ran out.
func (t *table) draw(p *pageWriter) (left int) {
	ncols := len(t.header)
	for _, r := range t.rows {
		ncols = max(ncols, len(r))
	}
	if ncols == 0 {
		return 0
	}
	widths := t.colWidths(p.width(), ncols)
	xs := make([]float64, ncols+1) // column edges
	xs[0] = p.left()
	for i, w := range widths {
		xs[i+1] = xs[i] + w
	}
	var head tableRow
	if t.header != nil {
		head = t.wrapRow(t.header, widths, func(int) *font { return fontBold }, maxHeaderLines)
	}

	segTop := 0.0 // top of the part of the table on this page
	openSegment := func() {
		segTop = p.y
		p.lines(0.75, xs[0], p.y, xs[ncols], p.y)
		if t.header != nil {
			t.drawRow(p, head, 0, head.lines, xs, colorHeadRow, func(int) *font { return fontBold })
		}
	}
	closeSegment := func() {
		coords := make([]float64, 0, 4*(ncols+1))
		for _, x := range xs {
			coords = append(coords, x, segTop, x, p.y)
		}
		p.lines(0.5, coords...)
	}
	breakPage := func() {
		closeSegment()
		p.newPage()
		openSegment()
	}

	headH := 0.0
	if t.header != nil {
		headH = rowHeight(head.lines)
	}
	var first tableRow
	if len(t.rows) > 0 {
		first = t.wrapRow(t.rows[0], widths, t.cellFont, math.MaxInt)
	}
	p.ensure(headH + rowHeight(min(first.lines, 3)))
	openSegment()
	for i, cells := range t.rows {
		if p.lineBudget <= 0 {
			left = len(t.rows) - i
			break
		}
		row := first
		if i > 0 {
			row = t.wrapRow(cells, widths, t.cellFont, math.MaxInt)
		}
		fill := ""
		if i%2 == 1 {
			fill = colorZebra
		}
		for k := 0; k < row.lines; {
			need := row.lines - k
			fit := int((p.room() - 2*cellPadY) / cellLead)
			switch {
			case need <= fit:
				t.drawRow(p, row, k, need, xs, fill, t.cellFont)
				k += need
			case k == 0 && rowHeight(need) <= p.bodyHeight()-headH && p.y < p.top()-headH:
				breakPage() // the row fits on a fresh page: move it there whole
			case fit < 2:
				breakPage()
			default: // taller than a page: fill this one and go on on the next
				t.drawRow(p, row, k, fit, xs, fill, t.cellFont)
				k += fit
				breakPage()
			}
		}
		p.lineBudget -= row.lines
	}
	closeSegment()
	return left
}

// drawRow draws lines [from, from+n) of a row below the cursor and moves the
// cursor under it.
func (t *table) drawRow(p *pageWriter, r tableRow, from, n int, xs []float64, fill string, f func(int) *font) {
	h := rowHeight(n)
	if fill != "" {
		p.rect(xs[0], p.y, xs[len(xs)-1]-xs[0], h, fill)
	}
	for i, lines := range r.cells {
		for j := from; j < from+n && j < len(lines); j++ {
			if lines[j] == "" {
				continue
			}
			base := p.y - cellPadY - float64(j-from)*cellLead - 0.78*cellLead
			if i < len(t.numeric) && t.numeric[i] {
				p.textRight(f(i), cellSize, xs[i+1]-cellPadX, base, colorText, lines[j])
			} else {
				p.text(f(i), cellSize, xs[i]+cellPadX, base, colorText, lines[j])
			}
		}
	}
	p.y -= h
	p.lines(0.5, xs[0], p.y, xs[len(xs)-1], p.y)
}
